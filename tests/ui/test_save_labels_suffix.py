"""*Save labels...* writes a 3D Slicer segmentation when its filter is chosen, and a name typed
without an ending gets the chosen filter's: Qt's dialog adds none, so "case-labels" was refused
("can only write .nii or .nii.gz"), and a .seg.nrrd could not be written at all (a MetaImage
until session 44)."""

from __future__ import annotations

import nibabel as nib
import nrrd
import numpy as np
import pytest
import SimpleITK as sitk
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtWidgets import QFileDialog


@pytest.mark.parametrize("typed, chosen, written", [
    ("case-labels", "NIfTI (*.nii.gz *.nii)", "case-labels.nii.gz"),
    ("case-labels.nii", "NIfTI (*.nii.gz *.nii)", "case-labels.nii"),
    ("case", "3D Slicer segmentation (*.seg.nrrd)", "case.seg.nrrd"),
    ("case.seg.nrrd", "3D Slicer segmentation (*.seg.nrrd)", "case.seg.nrrd"),
    ("case", "MetaImage (*.mha *.mhd)", "case.mha"),
    ("case.mha", "NIfTI (*.nii.gz *.nii)", "case.mha")])   # typed: it was case.mha.nii.gz
def test_the_chosen_filter_gives_the_ending_and_the_format(qtbot, window, tmp_path, monkeypatch,
                                                           typed, chosen, written):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    session.segments.add("lesion", color=(10, 200, 30))
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    offered = []

    def dialog(parent, title, name, filters, **options):
        offered.append(filters)
        return str(tmp_path / "out" / typed), chosen

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert window.edit_actions.save_labels_dialog()
    assert window.edit_actions.saving.wait()
    assert "3D Slicer segmentation (*.seg.nrrd)" in offered[0]
    target = tmp_path / "out" / written
    if written.endswith(".seg.nrrd"):
        data, header = nrrd.read(str(target), index_order="F")
        assert header["Segment0_Name"] == "lesion" and header["Segment0_LabelValue"] == "1"
    elif written.endswith(".mha"):   # refused until session 44
        data = sitk.GetArrayFromImage(sitk.ReadImage(str(target))).transpose(2, 1, 0)
    else:
        data = np.asarray(nib.load(target).dataobj)
    assert np.array_equal(data, session.labels.array) and data.any()
    assert window.message_bar.text == ""
    assert window.notice_bar.text == f"Saved {written} in out/ under the image's folder"
