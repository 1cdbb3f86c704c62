"""A worklist case's labels are proposed beside the case, where the worklist's readers are looked
for (*Compare readers*, *Adjudicate*, watch mode: ``app.label_readers``), by every path that
proposes a file: *Save labels*, the close question's *Save*, *Save labels as DICOM SEG* and *Export
view as PNG*. In session 49's team walk, with two worklists, anna's labels of a case of the second
were proposed (and went) into the first worklist's folder: the last folder saved to, proposed
first for every image."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from editor_helpers import INSIDE_CASE_RAS, shortcut, stroke
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from save_dialogs import answered_save_dialog
from unsaved_edits import answer_question
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset import worklist as worklist_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))
from fake_dicom import make_ct_series  # noqa: E402


@pytest.fixture
def dialog(monkeypatch, tmp_path):
    return answered_save_dialog(monkeypatch, tmp_path)


def _menu(window, text: str) -> None:
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == text).trigger()
    window.edit_actions.saving.wait()   # a worker writes the file


def _dicom_worklist(folder: Path) -> Path:
    """``folder/cases`` holding one small CT series, ``p01`` (Save labels as DICOM SEG needs DICOM)."""
    make_ct_series(folder / "cases" / "p01")
    return folder / "cases"


def _two_worklists(qtbot, window, tmp_path, dialog, make=worklist_folder) -> Path:
    """The first worklist's first case saved where Save labels proposed (the worklist's folder),
    then the second worklist open on its first case: the second's folder."""
    proposed, answer, _ = dialog
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    first, second = make(first), make(second)
    open_worklist(qtbot, window, first)
    _menu(window, "Save labels...")
    answer[0] = proposed[-1][1]
    _menu(window, "Save labels...")
    assert Path(answer[0]).is_file() and Path(answer[0]).parent == first
    answer[0] = ""
    open_worklist(qtbot, window, second)
    assert window.training_actions.worklist.source == second and window.training_actions.worklist_id
    return second


@pytest.mark.parametrize("path", ["Save labels...", "Save labels as DICOM SEG...",
                                  "Export view as PNG...", "the close question's Save"])
def test_the_second_worklists_case_proposes_its_own_folder(qtbot, window, tmp_path, dialog, path):
    proposed, _, _ = dialog
    make = _dicom_worklist if "SEG" in path else worklist_folder
    second = _two_worklists(qtbot, window, tmp_path, dialog, make)
    asked = len(proposed)
    if path == "the close question's Save":   # painted, then Mark done (Ctrl+D): Save / Discard
        window.controller.set_crosshair(INSIDE_CASE_RAS)
        window.edit_actions.panel.select_tool("paint")
        stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
        assert window.editor.case.modified
        live = answer_question(window, QMessageBox.Save)
        shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
        try:
            qtbot.waitUntil(lambda: len(proposed) > asked, timeout=10000)
        finally:
            live[0] = False
    else:
        _menu(window, path)
    assert len(proposed) == asked + 1
    assert Path(proposed[-1][1]).parent == second, proposed[-1]


def test_a_file_saved_elsewhere_is_not_proposed_again_for_a_worklist_case(qtbot, window, tmp_path,
                                                                         dialog):
    """A case's labels saved in another folder (the first worklist's, as the walk's anna did): the
    next Save labels proposes the case's own folder again, under the image's name."""
    proposed, answer, _ = dialog
    second = _two_worklists(qtbot, window, tmp_path, dialog)
    (tmp_path / "elsewhere").mkdir()
    answer[0] = str(tmp_path / "elsewhere" / "mine.nii.gz")
    _menu(window, "Save labels...")
    answer[0] = ""
    _menu(window, "Save labels...")
    assert proposed[-1][1] == str(second / "a_case-labels.nii.gz")


def test_a_read_only_worklist_case_proposes_documents_and_says_so(qtbot, window, tmp_path, dialog,
                                                                  monkeypatch):
    """A worklist on a read-only share: one line names the folder and the proposal, in Documents,
    where the labels are then saved and recorded by the worklist (its state in the data folder)."""
    proposed, answer, documents = dialog
    cases = worklist_folder(tmp_path)
    access = os.access   # chmod does not stop root: the folder reads as read-only to neuroview too
    monkeypatch.setattr(os, "access", lambda path, mode, *args, **kwargs: access(
        path, mode, *args, **kwargs) and not (mode & os.W_OK and os.path.realpath(path) == str(cases)))
    writable = worklist_module._writable
    monkeypatch.setattr(worklist_module, "_writable",
                        lambda folder: writable(folder) and os.path.realpath(folder) != str(cases))
    cases.chmod(stat.S_IRUSR | stat.S_IXUSR)   # as the share is, for a user who is not root
    try:
        open_worklist(qtbot, window, cases)
        _menu(window, "Save labels...")
        assert proposed[-1][1] == str(documents / "a_case-labels.nii.gz")
        assert window.notice_bar.text == (f"{cases} is read-only: labels cannot be saved beside "
                                          f"this worklist case; proposed in {documents} instead, where the "
                                          "lead's watch mode and Adjudicate do not look.")
        assert window.notice_bar.shown == (f"cases is read-only in …/{tmp_path.name}: labels cannot be "
                                           "saved beside this worklist case; proposed in Documents "
                                           "in ~ instead, where the lead's watch mode and Adjudicate do not "
                                           "look.")   # what the bar reads (whole on hover)
        answer[0] = proposed[-1][1]
        _menu(window, "Save labels...")
        saved = documents / "a_case-labels.nii.gz"
        assert saved.is_file() and window.notice_bar.text.startswith("Saved ")
        assert not window.editor.case.modified
        assert window.training_actions.worklist.case("a_case.nii.gz").labels == str(saved.resolve())
        answer[0] = ""
        _menu(window, "Export view as PNG...")   # names the picture (it said labels until session 49)
        assert Path(proposed[-1][1]).parent == documents
        assert window.notice_bar.text == (f"{cases} is read-only: the picture cannot be saved beside "
                                          f"this worklist case; proposed in {documents} instead.")
    finally:
        cases.chmod(stat.S_IRWXU)
