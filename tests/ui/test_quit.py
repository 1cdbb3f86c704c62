"""Quitting with unsaved edits, and the restore offer at the next start (issue #10, item 4).

File > Quit (or closing the window) with unsaved edits asks Save / Discard / Cancel; the question is answered
with a real click on its button; "the next start" is a new window opening the same image."""

from __future__ import annotations

import re

import nibabel as nib
import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    answer_when_shown,
    open_image,
    save_and_wait,
    stroke,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from quit_windows import new_window, paint  # noqa: F401  (new_window: a fixture)

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def answer(qtbot, window, button, asked):
    """Click ``button`` of the quit question as soon as it shows."""
    answer_when_shown(lambda: window.edit_actions.quit_box, button, asked)


def quit_from_menu(qtbot, window):
    """File > Quit, as chosen in the menu."""
    quit_action = next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Quit")
    quit_action.trigger()


def save_and_quit(qtbot, window, monkeypatch, target):
    """File > Quit, Save in the question, ``target`` in the file dialog; the window closes."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answer(qtbot, window, QMessageBox.Save, [])
    quit_from_menu(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)


def test_cancel_keeps_the_window_and_the_edits(qtbot, window, tmp_path):
    _, painted = paint(qtbot, window, tmp_path)
    asked = []
    answer(qtbot, window, QMessageBox.Cancel, asked)
    quit_from_menu(qtbot, window)
    assert asked and "not saved" in asked[0]
    assert window.isVisible() and window.editor.session is not None
    assert np.array_equal(window.editor.session.labels.array, painted)


def test_discard_quits_and_the_next_start_offers_no_restore(qtbot, window, tmp_path, new_window):  # noqa: F811
    path, _ = paint(qtbot, window, tmp_path)
    asked = []
    answer(qtbot, window, QMessageBox.Discard, asked)
    quit_from_menu(qtbot, window)
    assert asked
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    again = new_window()
    open_image(qtbot, again, path)
    session = wait_for_session(qtbot, again)          # started at once: no question
    assert "Restore" not in again.notice_bar.buttons or not again.notice_bar.isVisible()
    assert not session.labels.array.any()


def test_save_writes_the_labels_then_quits(qtbot, window, tmp_path, new_window, monkeypatch):  # noqa: F811
    path, painted = paint(qtbot, window, tmp_path)
    target = tmp_path / "saved-labels.nii.gz"
    save_and_quit(qtbot, window, monkeypatch, target)
    assert np.array_equal(np.asarray(nib.load(target).dataobj), painted)
    again = new_window()
    open_image(qtbot, again, path)
    assert not wait_for_session(qtbot, again).labels.array.any()
    # no offer of unsaved edits; only the labels file saved for it (test_open_offers_saved_labels.py)
    assert again.notice_bar.text == "The labels of this case were saved to saved-labels.nii.gz; load them?"


def test_save_cancelled_in_the_file_dialog_keeps_the_window(qtbot, window, tmp_path, monkeypatch):
    paint(qtbot, window, tmp_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    answer(qtbot, window, QMessageBox.Save, [])
    quit_from_menu(qtbot, window)
    assert window.isVisible() and window.editor.session is not None


def test_nothing_unsaved_quits_without_asking(qtbot, window, tmp_path, monkeypatch):
    paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")
    quit_from_menu(qtbot, window)          # a question would block here: exec() with nobody to answer
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)


def test_undoing_back_to_the_save_quits_without_asking(qtbot, window, tmp_path):
    """Ctrl+Z back to the labels saved leaves nothing to save: the question asked to save a case
    identical to its file (Slicer and ITK-SNAP ask too; the undo history knows where the save
    stood)."""
    paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, -8.0, 0], INSIDE_CASE_RAS + [6.0, -8.0, 0]])
    assert window.editor.case.modified
    window.editor.undo()
    asked = []
    answer(qtbot, window, QMessageBox.Cancel, asked)   # were it asked: Cancel, the window stays
    quit_from_menu(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible() or bool(asked), timeout=10000)
    assert asked == [] and not window.isVisible()


def test_the_restore_offer_and_its_result_count_the_edits_undo_offers(
        qtbot, window, tmp_path, new_window):  # noqa: F811
    path, _ = paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")   # compacts the journal...
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)   # ...in a worker
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, -6.0, 0], INSIDE_CASE_RAS + [6.0, -6.0, 0]])
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, -10.0, 0], INSIDE_CASE_RAS + [6.0, -10.0, 0]])
    expected = window.editor.session.labels.array.copy()
    window.edit_actions.close_case()            # not quit: the edits stay (as after a crash)
    again = new_window()
    open_image(qtbot, again, path)
    bar = again.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    offered = int(re.search(r"\((\d+) edits? since the last save\)", bar.text).group(1))
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, again)
    assert np.array_equal(session.labels.array, expected)
    reported = [again.measurements.item(i).text() for i in range(again.measurements.count())]
    # the two strokes, in the question and the line after (the question counted the saved label
    # map too, "3 saved steps", until session 25; the line did, "restored 3 steps", until 24), in
    # the notice bar (it was in Measurements, among the rulers, until session 28)
    assert offered == 2
    assert bar.text == ("Restored the unsaved labels: 2 edits since the last save are back (Ctrl+Z "
                        "undoes them, back to the last save only)")
    assert list(bar.buttons) == ["Dismiss"] and not any("restored" in t.lower() for t in reported)
    assert len(session.history.undo_steps) == 2


def test_saved_edits_are_not_offered_back_after_opening_another_image(qtbot, window, tmp_path):
    """Paint, Save labels, open another image, come back: nothing unsaved, so no "edits that were
    never saved" offer (as after quitting). Unsaved edits: tests/ui/test_open_unsaved.py."""
    path, _ = paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")
    other, _ = write_image(tmp_path, name="other", affine_name="lps")   # another image
    open_image(qtbot, window, other)
    session = wait_for_session(qtbot, window)
    assert not session.labels.array.any()
    open_image(qtbot, window, path)
    assert not wait_for_session(qtbot, window).labels.array.any()
    # no offer of unsaved edits; only the labels file saved for it (test_open_offers_saved_labels.py)
    assert window.notice_bar.text == ("The labels of this case were saved to labels.nii.gz; "
                                      "load them?"), window.notice_bar.text
    assert session is not window.editor.session


def test_an_ai_click_object_not_yet_accepted_is_asked_about_and_save_keeps_it(
        qtbot, window, tmp_path, monkeypatch):
    """Quitting with an AI click object on screen (no other edit) closed the window at once: the
    object, in no file and no journal, was lost without a question (and with other edits, Save
    saved the labels without it)."""
    from editor_helpers import pixel_of, shortcut
    from PySide6.QtCore import QPoint

    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    panel = window.edit_actions.panel
    panel.add_segment()
    save_and_wait(window, tmp_path / "empty.nii.gz")   # nothing else unsaved
    panel.ai_backend.setCurrentIndex(panel.ai_backend.findData("grow"))   # grow from seeds: fast
    panel.ai_backend.activated.emit(panel.ai_backend.currentIndex())
    shortcut(qtbot, window, Qt.Key_K)
    x, y = pixel_of(window, "axial", INSIDE_CASE_RAS)
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(int(x), int(y)))
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=30000)
    shown = window.controller.preview_labels.array.copy()
    assert shown.any() and not window.editor.case.modified
    asked = []
    answer(qtbot, window, QMessageBox.Cancel, asked)
    quit_from_menu(qtbot, window)
    assert asked and asked[0].startswith("The AI click object on screen is not accepted yet")
    assert window.isVisible() and window.editor.has_preview()
    save_and_quit(qtbot, window, monkeypatch, tmp_path / "never-asked.nii.gz")
    # into the labels' own file, saved above (no file dialog since session 52)
    assert not (tmp_path / "never-asked.nii.gz").exists()
    assert np.array_equal(np.asarray(nib.load(tmp_path / "empty.nii.gz").dataobj), shown)


def test_saved_then_killed_is_offered_as_saved_and_quitting_asks_nothing(qtbot, window, tmp_path,
                                                                          new_window):  # noqa: F811
    """Save labels, then a crash: the offer said "edits ... that were never saved", and after
    Restore quitting asked to save the labels the file already held."""
    path, _ = paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)   # the compaction's worker
    saved = window.editor.session.labels.array.copy()
    window.edit_actions.close_case()            # not quit: the workspace stays (as after a crash)
    again = new_window()
    open_image(qtbot, again, path)
    bar = again.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert "never saved" not in bar.text and "they were saved, with no edit since" in bar.text
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, again)
    assert np.array_equal(session.labels.array, saved)
    assert bar.text == ("Restored the labels as last saved (no edit since the save); the undo history "
                        "from before the save is not kept: Ctrl+Z has nothing to undo")
    assert again.measurements.count() == 0
    assert not again.editor.case.modified       # what quitting asks about: nothing
    quit_from_menu(qtbot, again)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=10000)


def test_save_writes_into_the_labels_own_file_without_a_dialog(qtbot, window, tmp_path, monkeypatch):
    """Labels saved (or loaded) in this window, then edited: Save in the quit question writes them
    into that file, as ITK-SNAP does, and the question says which. Session 52's walk on the demo
    case: the question, then the file dialog on that file, then 'demo-labels.nii.gz already
    exists. Replace it?': three answers to quit."""
    paint(qtbot, window, tmp_path)
    own = save_and_wait(window, tmp_path / "mine-labels.nii.gz")
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, -8.0, 0], INSIDE_CASE_RAS + [6.0, -8.0, 0]])
    edited = window.editor.session.labels.array.copy()
    dialogs = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: dialogs.append(a) or ("", ""))
    asked, informative = [], []
    answer_when_shown(lambda: window.edit_actions.quit_box and not informative.append(
        window.edit_actions.quit_box.informativeText()) and window.edit_actions.quit_box,
        QMessageBox.Save, asked)
    quit_from_menu(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert dialogs == [] and len(asked) == 1
    assert informative[-1].startswith("Save writes them into mine-labels.nii.gz")
    assert np.array_equal(np.asarray(nib.load(own).dataobj), edited)


def test_labels_only_loaded_from_a_file_are_not_written_over_unasked(qtbot, window, tmp_path,
                                                                     monkeypatch):
    """A mask loaded (the demo's ground truth, a colleague's file: not saved for this image with
    Save labels) and edited: Save in the quit question asks where, as before."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    theirs = tmp_path / "theirs.nii.gz"
    mask = np.zeros(session.labels.array.shape, np.uint8)
    mask[20:24, 20:24, 20:24] = 1
    nib.save(nib.Nifti1Image(mask, window.controller.volume.ijk_to_ras), theirs)
    window.edit_actions.load_labels(str(theirs))
    qtbot.waitUntil(lambda: not window.runner.busy and session.labels.array.any(), timeout=30000)
    assert window.editor.case.labels_file[0] == str(theirs)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    mine = tmp_path / "mine.nii.gz"
    dialogs = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: dialogs.append(a) or (str(mine), ""))
    answer(qtbot, window, QMessageBox.Save, [])
    quit_from_menu(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert len(dialogs) == 1 and mine.exists()
    assert np.array_equal(np.asarray(nib.load(theirs).dataobj), mask)   # untouched
