"""AI > Train model...: typing the name of a run whose checkpoint stays (a cancelled run, or one
whose window was killed) ticks Resume, as choosing its version does. With a base model the
proposed version is the base's next minor whatever the name, so the version did not change, and
Resume stayed unticked and disabled (session 33's walk: a window killed while training
``walk@2.7.0``, reopened, the name typed again)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from neuroview.ai.registry import Registry
from neuroview.ui.train_dialog import TrainDialog, next_version


def test_typing_the_name_of_a_stopped_run_ticks_resume(qtbot):
    registry = Registry()
    dialog = TrainDialog(registry)
    qtbot.addWidget(dialog)
    base = dialog.base_box.currentData()
    assert base   # the default model is preselected as the base
    version = dialog.version_edit.text()
    assert next_version(registry.entries(), "walk", base) == version   # the case: same version
    checkpoint = registry.models_dir / f"walk@{version}.checkpoint"
    checkpoint.mkdir(parents=True)
    (checkpoint / "state.json").write_text(json.dumps({"epoch": 3}))
    assert not dialog.resume_check.isChecked()

    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "walk")
    assert dialog.version_edit.text() == version
    assert dialog.resume_check.isEnabled() and dialog.resume_check.isChecked()
    assert dialog.checkpoint_epoch() == 3 and dialog.request().resume

    qtbot.keyClick(dialog.name_edit, Qt.Key_2)   # "walk2": no checkpoint of that name
    assert not dialog.resume_check.isEnabled() and not dialog.request().resume
