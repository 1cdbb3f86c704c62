"""Ctrl+S on a worklist case saves to the file chosen for it earlier in this session of the
worklist, with no dialog, as ITK-SNAP saves over once a file was chosen; the status line says
where. The first Ctrl+S of a case asks for the file, *File > Save labels as...* (Ctrl+Alt+S) asks
every time. Until session 52 every Ctrl+S opened the save dialog, then asked whether to replace
the file it proposed."""

from __future__ import annotations

import os

import nibabel as nib
import numpy as np
from editor_helpers import INSIDE_CASE_RAS, shortcut, stroke_a_lesion
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from worklist_cases import open_worklist, worklist_folder


def test_ctrl_s_saves_again_where_the_first_one_chose(qtbot, window, tmp_path, monkeypatch):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    session = window.editor.session
    stroke_a_lesion(window, session)
    mine = cases / "a_case-mine.nii.gz"
    opened, asked = [], []

    def dialog(parent, title, start, filters, **options):
        opened.append(title)
        return str(answer[0]), filters.split(";;")[0]
    answer = [mine]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)

    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)   # the first: asks for the file
    assert window.edit_actions.saving.wait() and opened == ["Save labels"]

    session.apply("paint", at_ras=INSIDE_CASE_RAS + [0, 0, 8.0], radius_mm=4.0, mode="3d", segment=1)
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)   # again: written there, no dialog, no question
    assert window.edit_actions.saving.wait()
    assert opened == ["Save labels"] and asked == []
    assert np.array_equal(np.asarray(nib.load(mine).dataobj), session.labels.array)
    assert not window.editor.case.modified
    assert window.statusBar().currentMessage() == (
        "Saved to a_case-mine.nii.gz beside the image, the file chosen for this case (Save labels as... "
        "(Ctrl+Alt+S) for another).")
    # written as every save: a temporary renamed into place, none left beside it
    assert sorted(n for n in os.listdir(cases) if n.startswith("a_case")) == [
        "a_case-mine.nii.gz", "a_case-mine.segments.json", "a_case.nii.gz"]

    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier | Qt.AltModifier)   # Save as: the dialog
    assert window.edit_actions.saving.wait()
    assert opened == ["Save labels", "Save labels"]
    assert asked == ["a_case-mine.nii.gz already exists. Replace it?"]

    window.training_actions.next_case()   # another case: its own first Ctrl+S asks
    qtbot.waitUntil(lambda: window.training_actions.worklist_id.endswith("b_case.nii.gz")
                    and window.editor.session is not None and not window.runner.busy, timeout=30000)
    stroke_a_lesion(window, window.editor.session)
    answer[0] = cases / "b_case-mine.nii.gz"
    answer[0].mkdir()   # a folder of that name: not written, said in the red bar...
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert not window.edit_actions.saving.wait() and len(opened) == 3
    answer[0].rmdir()   # ...so the next Ctrl+S asks again, and writes the file chosen
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert window.edit_actions.saving.wait() and len(opened) == 4 and answer[0].is_file()
