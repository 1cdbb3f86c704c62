"""*Save labels...* (Ctrl+S) after a first save proposes the file saved then, under the name the
annotator gave it, as an editor saves again where it saved. It proposed the image's name with
``-labels.nii.gz`` every time, also in the question a close asks: a second Save wrote a second
file beside the first (walk of 7 Dec 2026: ``demo-labels.nii.gz`` saved, then
``mni152_t1_lesions-labels.nii.gz`` proposed). Opened again later, the image proposes it too."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, open_image, shortcut, wait_for_session
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox


def test_a_second_save_proposes_the_file_saved_first(qtbot, window, tmp_path, monkeypatch):
    volume, session = open_case(qtbot, window, tmp_path)
    session.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=4.0, mode="3d", segment=1)
    mine = tmp_path / "out" / "reader1 lesions.nii.gz"
    mine.parent.mkdir()
    offered = []

    def dialog(parent, title, name, filters, **options):
        offered.append(name)
        return str(mine), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    asked = []   # saving again over it: neuroview's one question, answered Yes
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert window.edit_actions.saving.wait()
    assert offered[0].endswith("case-labels.nii.gz") and asked == []   # the image's name, before any save

    session.apply("paint", at_ras=INSIDE_CASE_RAS + [0, 0, 8.0], radius_mm=4.0, mode="3d", segment=1)
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert window.edit_actions.saving.wait()
    assert offered[1] == str(mine) and asked == ["reader1 lesions.nii.gz already exists. Replace it?"]
    assert np.array_equal(np.asarray(nib.load(mine).dataobj), session.labels.array)

    shortcut(qtbot, window, Qt.Key_W, Qt.ControlModifier)   # saved: File > Close does not ask
    qtbot.waitUntil(lambda: window.controller.volume is None)
    open_image(qtbot, window, volume.source_path)            # opened again by hand
    wait_for_session(qtbot, window)
    shortcut(qtbot, window, Qt.Key_S, Qt.ControlModifier)
    assert offered[2] == str(mine)
