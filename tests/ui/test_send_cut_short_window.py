"""The window, after a *Send to training set* was killed half-way (a real SIGKILL of a forked
copy of a case sending it): opening the image again says, under the restore question, that the
send was cut short and whether the training set holds it. Until session 31 it said nothing, and
the user could not tell whether the case went in."""

from __future__ import annotations

import os
import signal

from editor_helpers import INSIDE_CASE_RAS, write_image

from neuroview.app.case import Case, workspace_for
from neuroview.app.send_marker import marked
from neuroview.dataset import store
from neuroview.dataset.layout import init_dataset
from tests.durability import fork_killed

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_send_killed_before_the_write_is_said_at_the_next_open(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    dataset = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    case = Case.open(volume)                       # the workspace the window finds for it
    case.session.segments.add("lesion")
    case.session.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=4.0)
    real = store.add_case
    monkeypatch.setattr(store, "add_case", lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL))
    code, _ = fork_killed(case.send_to_training_set, dataset)
    assert code == -9
    monkeypatch.setattr(store, "add_case", real)
    case.session.journal.close()                   # the killed window's journal, left as it was
    case.holds_workspace = False
    from neuroview.app import workspace_lock

    workspace_lock.release(case.workspace)
    assert marked(workspace_for(volume))

    window.open_paths([path])
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons, timeout=30000)
    lines = bar.text.split("\n")
    said = [line for line in lines if "Send to training set" in line]
    assert len(said) == 1, lines
    assert said[0].startswith(f"The last Send to training set of this image, to {dataset.name} (")
    assert said[0].endswith("was cut short: nothing of it was written (the training set does not "
                            "hold it); send it again.")
    assert not marked(workspace_for(volume))       # said once
    bar.buttons["Restore"].click()                 # the edits come back, the line stays
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy
                    and window.editor.session.labels.array.any(), timeout=30000)
    assert said[0] in bar.text.split("\n")
