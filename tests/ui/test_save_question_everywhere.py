"""Every save dialog of neuroview asks its one question before a file is replaced, naming the
file as it will be written (the filter's ending added to a name typed without one), and *No*
leaves that file as it was: the Adjudicate window's *Save SEG* and *Save labels*, *Export view*
and the follow-up window's *Export CSV* asked Qt's own question until session 52, of the name as
typed, so ``shot`` replaced ``shot.png`` unasked (the worklist's *Save labels* asks since
session 51: tests/ui/test_save_over_colleague_labels.py)."""

from __future__ import annotations

import pytest
from editor_helpers import open_case
from followup_views import followup_view  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

OLD = b"a colleague's file, not to be lost\n"


def _answers(monkeypatch, typed, replace: bool):
    """The save dialog answered with ``typed`` the first time and Cancel after; every question
    box answered *Yes* (``replace``) or *No*. Returns (each dialog's options, each question's text)."""
    opened, asked = [], []

    def dialog(parent, title, start, filters, **options):
        opened.append(options.get("options"))
        return (str(typed), filters.split(";;")[0]) if len(opened) == 1 else ("", "")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text) or (
        QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No))
    return opened, asked


def _one_question_then_kept(opened, asked, old, name) -> None:
    assert asked == [f"{name} already exists. Replace it?"]    # once, the name with its ending
    assert opened == [QFileDialog.Option.DontConfirmOverwrite] * 2   # no Qt box; No: the dialog again
    assert old.read_bytes() == OLD                                   # No: untouched


def test_export_view_asks_once_of_the_png_and_no_keeps_it(qtbot, window, tmp_path, monkeypatch):
    open_case(qtbot, window, tmp_path)
    old = tmp_path / "shot.png"
    old.write_bytes(OLD)
    opened, asked = _answers(monkeypatch, tmp_path / "shot", replace=False)   # typed without .png
    window.export_view_dialog()
    _one_question_then_kept(opened, asked, old, "shot.png")

    opened, asked = _answers(monkeypatch, tmp_path / "shot", replace=True)
    window.export_view_dialog()
    assert len(asked) == 1 and old.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"   # Yes: the picture
    assert not (tmp_path / "shot").exists()


@pytest.mark.parametrize("dicom", [True, False], ids=["seg", "labels"])
def test_adjudicate_saves_ask_once_and_no_keeps_the_file(qtbot, window, tmp_path, monkeypatch, dicom):
    """*Save SEG...* (a DICOM image's) and *Save labels...* (a NIfTI image's) of the Adjudicate
    window."""
    from neuroview.ui.readers_dialog import ReadersDialog

    open_case(qtbot, window, tmp_path)
    dialog = ReadersDialog(window)
    qtbot.addWidget(dialog)
    name = "adjudicated.dcm" if dicom else "adjudicated.nii.gz"
    old = tmp_path / name
    old.write_bytes(OLD)
    opened, asked = _answers(monkeypatch, tmp_path / "adjudicated", replace=False)
    if dicom:
        dialog.save_seg_dialog()   # (no case compared yet: the SEG's dialog)
    else:
        dialog.case = window.editor.case
        dialog.save_labels_dialog()
    _one_question_then_kept(opened, asked, old, name)


def test_followup_export_csv_asks_once_and_no_keeps_it(followup_view, qtbot, tmp_path, monkeypatch):  # noqa: F811
    view = followup_view
    old = tmp_path / "lesions.csv"
    old.write_bytes(OLD)
    opened, asked = _answers(monkeypatch, tmp_path / "lesions", replace=False)
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    _one_question_then_kept(opened, asked, old, "lesions.csv")

    opened, asked = _answers(monkeypatch, tmp_path / "lesions", replace=True)
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert len(asked) == 1 and old.read_text().splitlines()[0].startswith("id,")
    assert not (tmp_path / "lesions").exists()
