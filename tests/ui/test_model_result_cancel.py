"""Cancel on *Adding the segments of MODEL* (the job that makes a model's result ready off the GUI
thread: 4.7 s on a 512x512x300 CT at load 11) stops it between its parts: no segment, voxel or
undo step of the model lands, and the files the job wrote in the workspace (the step's voxels,
the pending proposal) are gone. Before, the job did not look at Cancel and the result landed."""

from __future__ import annotations

import threading

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.app.case import Case

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _result(volume):
    labels = np.zeros(volume.shape[:3], np.uint8)
    labels[10:20, 10:20, 10:20] = 2
    labels[13:16, 13:16, 13:16] = 1
    return labels, [(1, "lesion", (230, 25, 75)), (2, "brain", (70, 130, 180))], "fake@1", "cpu", []


def test_cancel_while_adding_a_model_s_segments_adds_nothing(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    case = window.editor.case
    files_before = sorted(p.name for p in case.workspace.iterdir())
    steps = len(session.history.undo_steps)
    release, reached, real = threading.Event(), [], Case.prepare_model_result

    def held(self, *args, progress=None, **kwargs):
        def hold(done, total, text):
            progress(done, total, text)
            if done >= 1:              # the step's voxels written, the proposal next: held
                reached.append(text)
                release.wait(30)
        return real(self, *args, progress=hold, **kwargs)

    monkeypatch.setattr(Case, "prepare_model_result", held)
    window.ai_actions._apply_result(case, _result(volume), "")
    qtbot.waitUntil(lambda: bool(reached), timeout=20000)
    assert window.jobs.shown.label == "Adding the segments of fake@1"
    assert any(p.name not in files_before for p in case.workspace.iterdir())   # its voxels' file
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: "not added (cancelled)" in window.notice_bar.text, timeout=20000)
    assert not session.labels.array.any()
    assert [s.name for s in session.segments if s.origin == "model"] == []
    assert len(session.history.undo_steps) == steps
    assert sorted(p.name for p in case.workspace.iterdir()) == files_before
    monkeypatch.setattr(Case, "prepare_model_result", real)
    window.ai_actions._apply_result(case, _result(volume), "")   # run again: it lands whole
    qtbot.waitUntil(lambda: "fake@1 on cpu" in window.notice_bar.text, timeout=20000)
    assert (session.labels.array == session.segments["lesion"].value).sum() == 27
    assert len(session.history.undo_steps) == steps + 1
