"""The job bar's *Cancel* during *Load labels* reaches the undo step's making
(``label_files.labels_step``: the map after it, its diff and the labels as loaded written to the
workspace, seconds for a CT's map): it stops, the labels stay as they were and the workspace holds
no file of it. Until session 45 the step took no cancel: it ran to its end after the Cancel and
left its diff's voxels and the labels as loaded in the workspace. The status line says so (it said
nothing until session 46, where other cancelled work says it was cancelled and nothing changed)."""

from __future__ import annotations

import os
import threading

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image, write_two_label_mask
from PySide6.QtCore import Qt

from neuroview.app import label_files

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_cancel_reaches_the_undo_step_of_a_load(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    mask, _labels = write_two_label_mask(tmp_path, volume)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    assert session.journal is not None
    workspace = session.journal.folder
    before, files = session.labels.array.copy(), sorted(os.listdir(workspace))
    started, release, real = threading.Event(), threading.Event(), label_files.labels_step

    def held(*args, **kwargs):
        started.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(label_files, "labels_step", held)
    window.edit_actions.load_labels(mask)
    qtbot.waitUntil(started.is_set, timeout=20000)
    qtbot.waitUntil(window.jobs.cancel_button.isVisible, timeout=10000)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    np.testing.assert_array_equal(session.labels.array, before)
    assert sorted(os.listdir(workspace)) == files
    assert window.statusBar().currentMessage() == (
        f"Loading labels {os.path.basename(mask)} cancelled: the labels are as they were.")
