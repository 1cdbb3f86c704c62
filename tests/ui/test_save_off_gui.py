"""*Save labels* and *Save labels as DICOM SEG* write their file in a worker, not on the GUI thread:
the file holds the labels as they were when Save was pressed, a stroke painted while it is written
is kept (unsaved, in the journal), a failed save is one line naming the file, and quitting while a
save runs waits for it."""

from __future__ import annotations

import threading

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import (
    INSIDE_CASE_RAS,
    held_in_workers,
    open_image,
    paint_a_dicom_series,
    stroke,
    wait_for_session,
    write_image,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox

from neuroview.app.session import Session
from neuroview.io import nifti, seg

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _save_from_menu(window, monkeypatch, target, text="Save labels..."):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text).trigger()


def _painted(qtbot, window, tmp_path, kind):
    """A NIfTI image or a DICOM series open with a stroke painted: (session, the module and name of
    the function that writes the file, the file to save, the File menu's item)."""
    if kind == "nifti":
        path, _ = write_image(tmp_path)
        open_image(qtbot, window, path)
        session = wait_for_session(qtbot, window)
        window.controller.set_crosshair(INSIDE_CASE_RAS)
        window.edit_actions.panel.select_tool("paint")
        stroke(window, "axial", [INSIDE_CASE_RAS])
        return session, nifti, "save_nifti", tmp_path / "labels.nii.gz", "Save labels..."
    session = paint_a_dicom_series(qtbot, window, tmp_path)
    return session, seg, "save_seg", tmp_path / "labels-seg.dcm", "Save labels as DICOM SEG..."


@pytest.mark.parametrize("kind", ["nifti", "dicom_seg"])
def test_an_edit_while_the_file_is_written_is_kept_and_not_in_the_file(qtbot, window, tmp_path,
                                                                         monkeypatch, kind):
    session, module, name, target, menu = _painted(qtbot, window, tmp_path, kind)
    calls, release = held_in_workers(monkeypatch, module, name)
    _save_from_menu(window, monkeypatch, target, menu)
    at_save = session.labels.array.copy()
    case = window.editor.case
    qtbot.waitUntil(lambda: calls != [], timeout=10000)
    assert calls == [False]                                  # the file is written by a worker
    assert window.edit_actions.saving.running and not target.exists()
    shape, affine = np.array(session.volume.shape[:3]), session.volume.ijk_to_ras
    elsewhere = affine[:3, :3] @ (shape // 2 - [shape[0] // 4, 0, 0]) + affine[:3, 3]
    window.controller.set_crosshair(elsewhere)
    stroke(window, "axial", [elsewhere])                     # painted while the file is written
    painted = session.labels.array.copy()
    assert (painted != at_save).any()
    release.set()
    assert window.edit_actions.saving.wait()
    saved = (np.asarray(nib.load(target).dataobj) if kind == "nifti"
             else seg.load_seg(target, session.volume).array)
    np.testing.assert_array_equal(saved > 0, at_save > 0)   # as when Save was pressed
    assert case.modified                                     # the later stroke is not saved
    assert f"Saved {target.name} " in window.notice_bar.text
    assert window.notice_bar.label.toolTip() == str(target)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    restored = Session(session.volume, session.journal.folder)   # a restart after a crash
    np.testing.assert_array_equal(restored.labels.array, painted)
    restored.close()


def test_a_failed_save_is_one_line_naming_the_file_and_the_edits_stay_unsaved(qtbot, window, tmp_path,
                                                                             monkeypatch):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "labels.nii.gz"                        # its folder is a file
    _save_from_menu(window, monkeypatch, target)
    assert not window.edit_actions.saving.wait()
    text = window.message_bar.text
    assert str(target) in text and "\n" not in text.strip()
    assert window.editor.case.modified and session.labels.array.any()


def test_quitting_while_a_save_runs_waits_for_it_and_does_not_ask(qtbot, window, tmp_path, monkeypatch):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    painted = session.labels.array.copy()
    calls, release = held_in_workers(monkeypatch, nifti, "save_nifti")
    target = tmp_path / "labels.nii.gz"
    _save_from_menu(window, monkeypatch, target)
    qtbot.waitUntil(lambda: calls != [], timeout=10000)
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or QMessageBox.Cancel)
    threading.Timer(0.5, release.set).start()                 # the file is done half a second later
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert asked == []                                        # saved by then: nothing to ask
    np.testing.assert_array_equal(np.asarray(nib.load(target).dataobj) > 0, painted > 0)


@pytest.mark.parametrize("kind", ["nifti", "dicom_seg"])
def test_cancel_during_a_save_keeps_the_old_file_whole_and_the_edits_unsaved(qtbot, window, tmp_path,
                                                                             monkeypatch, kind):
    """The status bar's Cancel, pressed while the file is written: the file saved before stays as
    it was (no temporary left beside it), the edits stay unsaved and in the crash journal, and the
    notice bar says so. It used to be ignored: the file was replaced and the labels counted as
    saved, though the bar said "Cancelling"."""
    session, module, name, target, menu = _painted(qtbot, window, tmp_path, kind)
    _save_from_menu(window, monkeypatch, target, menu)
    assert window.edit_actions.saving.wait()
    old_bytes = target.read_bytes()
    old_files = sorted(p.name for p in tmp_path.iterdir())
    shape, affine = np.array(session.volume.shape[:3]), session.volume.ijk_to_ras
    elsewhere = affine[:3, :3] @ (shape // 2 - [shape[0] // 4, 0, 0]) + affine[:3, 3]
    window.controller.set_crosshair(elsewhere)
    stroke(window, "axial", [elsewhere])                     # a second stroke, then Save again
    painted = session.labels.array.copy()
    case = window.editor.case
    assert case.modified
    calls, release = held_in_workers(monkeypatch, module, name)
    asked = []   # saving over the file: neuroview's one question, answered Yes
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    _save_from_menu(window, monkeypatch, target, menu)
    assert asked == [f"{target.name} already exists. Replace it?"]
    qtbot.waitUntil(lambda: calls != [], timeout=10000)
    cancel_button = window.jobs.cancel_button
    assert cancel_button.isVisible() and cancel_button.isEnabled()
    cancel_button.click()                                    # the user cancels the save
    release.set()
    assert not window.edit_actions.saving.wait()
    assert target.read_bytes() == old_bytes                  # the old file whole
    assert sorted(p.name for p in tmp_path.iterdir()) == old_files   # no temporary left
    assert case.modified                                     # quitting would still ask
    assert f"Save cancelled: {target.name} " in window.notice_bar.text and " was not written" in \
        window.notice_bar.text and str(tmp_path) not in window.notice_bar.text
    assert window.notice_bar.label.toolTip() == str(target)
    assert "\n" not in window.notice_bar.text.strip()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    restored = Session(session.volume, session.journal.folder)   # a restart after a crash
    np.testing.assert_array_equal(restored.labels.array, painted)
    restored.close()
