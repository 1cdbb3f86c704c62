"""A colour (RGB) DICOM image opens with its channels on the 4th axis: the notice bar and the
Display panel call them channels (red, green, blue), not time points, and Alt+Right steps to the
next one. Until 3 Dec 2026 an RGB ultrasound frame said "4D image: showing time point 1 of 3 (the
slice views, 3D view and AI use it)": it has no time points, and AI > Segment does not take the
channel shown."""

from __future__ import annotations

import numpy as np
from editor_helpers import activate, open_image
from frame_images import frames, open_and_wait
from key_presses import type_key
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid
from PySide6.QtCore import Qt


def write_rgb(path) -> None:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = SecondaryCaptureImageStorage, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.Modality, ds.SeriesNumber, ds.SeriesDescription = "OT", 1, "colour"
    ds.ImagePositionPatient, ds.ImageOrientationPatient = [0.0, 0.0, 0.0], [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing, ds.SliceThickness = [1.0, 1.0], 1.0
    ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PlanarConfiguration = 20, 24, 3, 0
    ds.PhotometricInterpretation = "RGB"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    rgb = np.zeros((20, 24, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 200, 100, 50
    ds.PixelData = rgb.tobytes()
    ds.save_as(path, enforce_file_format=True)


def row_label(window) -> str:
    panel = window.display_panel
    return panel.form.labelForField(panel.frame_box).text()


def test_colour_image_names_its_channels(qtbot, window, tmp_path):
    write_rgb(tmp_path / "rgb.dcm")
    open_image(qtbot, window, tmp_path / "rgb.dcm")
    assert window.controller.volume.axis4 == "channel" and window.controller.volume.n_frames == 3
    bar = window.notice_bar
    assert "channel 1 of 3 (red)" in bar.text and "time point" not in bar.text, bar.text
    assert row_label(window) == "Channel"
    activate(qtbot, window)
    type_key(window, Qt.Key_Right, Qt.AltModifier)
    qtbot.waitUntil(lambda: "channel 2 of 3 (green)" in bar.text, timeout=5000)

    open_and_wait(qtbot, window, tmp_path / "bold.nii.gz", frames())   # time points again
    assert "showing time point 1 of" in bar.text and row_label(window) == "Time point"
