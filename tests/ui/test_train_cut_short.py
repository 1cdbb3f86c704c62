"""A window killed while *AI > Train model...* ran: the next window says once that the run was cut
short, what was kept (the checkpoint, its epoch) and that Resume continues it, and the Train
dialog's progress shows that epoch. Nothing said so, and the dialog read "no run yet" beside an
epoch-1 checkpoint (session 33's walk)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from editor_helpers import close_without_asking

from neuroview.ai.registry import Registry

ROOT = Path(__file__).resolve().parents[2]

TRAINER = r"""
import json, os, sys, time
from pathlib import Path
# stands in for `neuroview train`: epoch 1's checkpoint, then on until its window is gone
# (cli/parent_watch stops the real one so)
checkpoint = Path(sys.argv[1])
checkpoint.mkdir(parents=True, exist_ok=True)
(checkpoint / "state.json").write_text(json.dumps({"epoch": 1}))
print("epoch 1: loss 0.9  held-out Dice 0.100  (best)  0.1 min", flush=True)
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(0.1)
"""

KILLED_WINDOW = r"""
import os, signal, sys
from PySide6.QtWidgets import QApplication
from neuroview.ai.registry import Registry
from neuroview.ui import train_dialog, training_runner
from neuroview.ui.train_dialog import TrainDialog

app = QApplication([])
registry = Registry()
checkpoint = registry.models_dir / "walk@2.7.0.checkpoint"
training_runner.neuroview_command = lambda _a: (sys.executable, ["-c", sys.argv[1], str(checkpoint)])
dialog = TrainDialog(registry, sys.argv[2])
dialog.name_edit.setText("walk")
dialog.version_edit.setText("2.7.0")
dialog.epochs_spin.setValue(3)
dialog._labels_problem = lambda _request: ""
dialog.process.epoch.connect(lambda *_: os.kill(os.getpid(), signal.SIGKILL))   # killed at epoch 1
dialog.start()
app.exec()
"""


def test_a_run_cut_short_by_a_killed_window_is_said_once(qtbot, tmp_path):
    (tmp_path / "dataset").mkdir()
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", KILLED_WINDOW, TRAINER, str(tmp_path / "dataset")],
                            env=environment, cwd=ROOT, timeout=120, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    models = Registry().models_dir
    assert json.loads((models / "walk@2.7.0.checkpoint" / "state.json").read_text())["epoch"] == 1

    from neuroview.ui.main_window import MainWindow

    window = MainWindow()   # the window opened again
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.show()
    qtbot.waitExposed(window)
    text = window.notice_bar.text
    assert text.startswith("Training walk@2.7.0 (started ")
    assert text.endswith("was cut short when its window closed: the checkpoint of epoch 1 of 3 is "
                         "kept; AI > Train model... with name walk, version 2.7.0 and Resume ticked "
                         "continues it.")
    window.notice_bar.buttons["Train model..."].click()
    dialog = window.model_actions.train_dialog
    assert (dialog.name_edit.text(), dialog.version_edit.text()) == ("walk", "2.7.0")
    assert dialog.resume_check.isChecked() and dialog.request().resume
    assert dialog.progress_bar.text() == "stopped after epoch 1: Resume continues it"
    assert dialog.progress_bar.value() == 1

    again = MainWindow()   # said once
    qtbot.addWidget(again, before_close_func=close_without_asking)
    again.show()
    qtbot.waitExposed(again)
    assert "cut short" not in again.notice_bar.text
