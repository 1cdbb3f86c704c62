"""File > Load labels checks the label values in a worker: the window keeps running meanwhile
(a QTimer keeps ticking), the busy bar says what it does, and the labels arrive as one step."""

from __future__ import annotations

import threading

import numpy as np
from editor_helpers import open_image, wait_for_session, write_image, write_two_label_mask
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog

from neuroview.app import label_files
from neuroview.io.nifti import save_nifti

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_label_check_runs_off_the_gui_thread_while_the_window_ticks(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    labels = np.zeros(volume.shape, np.uint8)
    for value in range(1, 41):   # 40 labels in blocks: past FEW_LABELS, so the neighbour check runs
        i, j = divmod(value - 1, 8)
        labels[4 + 5 * i: 8 + 5 * i, 4 + 5 * j: 8 + 5 * j, 10:30] = value
    mask = tmp_path / "atlas.nii.gz"
    save_nifti(labels, volume.ijk_to_ras, mask)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)

    seen = {"ticks": 0, "checking": False, "busy": [], "thread": None}
    released = threading.Event()
    original = label_files.check_label_values

    def slow_check(array, source=""):
        """The check, held until the window's timer has ticked five times during it: it can only
        be released when it runs off the GUI thread (else nothing ticks and the wait times out)."""
        seen["thread"] = threading.current_thread()
        seen["checking"] = True
        released.wait(timeout=5)
        seen["checking"] = False
        return original(array, source)

    def tick():
        seen["ticks"] += 1
        if seen["checking"]:
            seen["busy"].append((window.progress.isVisible(), window.progress_text.text()))
            if len(seen["busy"]) >= 5:
                released.set()

    monkeypatch.setattr(label_files, "check_label_values", slow_check)
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(mask), ""))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)            # File > Load labels
    qtbot.waitUntil(lambda: len(session.segments) == 40, timeout=30000)
    timer.stop()

    assert seen["thread"] is not threading.main_thread()
    assert released.is_set(), "the check blocked the window: its timer never ticked meanwhile"
    assert all(visible for visible, _ in seen["busy"])
    assert any(text == "Checking the label values of atlas.nii.gz" for _, text in seen["busy"])
    assert np.array_equal(session.labels.array, labels)
    assert [s.name for s in session.segments][:2] == ["Segment 1", "Segment 2"]
    session.undo()                                                   # one step
    assert not session.labels.array.any()


def test_the_undo_step_is_made_in_the_worker_and_survives_a_crash(qtbot, window, tmp_path, monkeypatch):
    """The diff of Load labels (the undo step, every changed voxel of the volume: 0.67 s at
    256^3 on this machine) is computed in the worker; the GUI thread copies the voxels and keeps
    the step. It is one undo step, journaled: a session reopened on the workspace (after a
    crash) gets the labels back; a locked segment is left as it was."""
    from neuroview.app.session import Session
    from neuroview.core import undo

    path, volume = write_image(tmp_path)
    mask, labels = write_two_label_mask(tmp_path, volume)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("kept", value=3)
    session.labels.array[30:34, 10:14, 12:16] = 3        # a locked segment 3 where the file says 2
    session.segments.lock("kept")
    made_on = []
    original = undo.VoxelDiff.from_mask.__func__

    def recording(cls, *args, **kwargs):
        made_on.append(threading.current_thread() is threading.main_thread())
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(undo.VoxelDiff, "from_mask", classmethod(recording))
    steps = len(session.history.undo_steps)
    window.open_labels(mask)
    qtbot.waitUntil(lambda: len(session.history.undo_steps) == steps + 1, timeout=30000)
    assert made_on == [False], made_on               # one diff, made off the GUI thread
    expected = labels.copy()
    expected[30:34, 10:14, 12:16] = 3                # the locked voxels kept their value
    assert np.array_equal(session.labels.array, expected)
    restored = Session(volume, session.journal.folder)   # what a restart after a crash reads
    outside = np.ones(volume.shape, bool)
    outside[30:34, 10:14, 12:16] = False                 # (the locked voxels were set unjournaled)
    assert np.array_equal(restored.labels.array[outside], expected[outside])
    assert restored.restored_steps >= 1 and (restored.labels.array == 2).sum() == (labels == 2).sum() - 64
    session.undo()
    assert not (session.labels.array == 2).any() and (session.labels.array == 3).sum() == 64
