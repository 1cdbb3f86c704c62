"""Small DICOM files written with pydicom alone, carrying a display window (WindowWidth /
WindowCenter) at the top level or in an enhanced file's Frame VOI LUT functional group."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import (
    EnhancedMRImageStorage,
    ExplicitVRLittleEndian,
    MRImageStorage,
    generate_uid,
)

SHAPE = (16, 12)   # rows, columns


def small_dataset(sop_class: str, series_uid: str) -> FileDataset:
    """A 16x12 MR file of ``sop_class`` in series ``series_uid``, pixels not set yet."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), series_uid
    ds.FrameOfReferenceUID = generate_uid()
    ds.Modality, ds.SeriesNumber, ds.SeriesDescription = "MR", 3, "T1 window"
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.Rows, ds.Columns = SHAPE
    return ds


def _pixels(k: int) -> np.ndarray:
    return (np.arange(SHAPE[0] * SHAPE[1], dtype=np.int16).reshape(SHAPE) * 3 + 10 * k)


def classic_series(folder: Path, centre, width, slope: float = 1.0, intercept: float = 0.0,
                   n_slices: int = 4) -> Path:
    """An axial series of ``n_slices`` files with WindowCenter ``centre`` and WindowWidth
    ``width`` (a number, a list of several, or ``None`` for none)."""
    folder.mkdir(parents=True, exist_ok=True)
    uid = generate_uid()
    for k in range(n_slices):
        ds = small_dataset(MRImageStorage, uid)
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "ND"]
        ds.InstanceNumber = k + 1
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.ImagePositionPatient = [-20.0, -30.0, 2.5 * k]
        ds.PixelSpacing, ds.SliceThickness = [2.0, 1.5], 2.5
        ds.RescaleSlope, ds.RescaleIntercept = slope, intercept
        if centre is not None:
            ds.WindowCenter, ds.WindowWidth = centre, width
        ds.PixelData = _pixels(k).tobytes()
        ds.save_as(folder / f"{k:03d}.dcm", enforce_file_format=True)
    return folder


def enhanced_file(path: Path, centre, width, per_frame: bool = False, n_frames: int = 4,
                  vary: bool = True) -> Path:
    """An Enhanced MR file whose Frame VOI LUT group (shared, or in every frame's own groups
    with ``per_frame``; the first frame's ``centre``/``width``, later frames other values unless
    not ``vary``) names ``centre`` and ``width`` (numbers, or lists of several)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = small_dataset(EnhancedMRImageStorage, generate_uid())
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NONE"]
    ds.InstanceNumber, ds.NumberOfFrames = 1, n_frames
    ds.ContentDate, ds.ContentTime = "20260101", "101010"
    shared = Dataset()
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    measures = Dataset()
    measures.PixelSpacing, measures.SliceThickness = [2.0, 1.5], 2.5
    shared.PlaneOrientationSequence, shared.PixelMeasuresSequence = [orientation], [measures]
    if not per_frame:
        voi = Dataset()
        voi.WindowCenter, voi.WindowWidth = centre, width
        shared.FrameVOILUTSequence = [voi]
    ds.SharedFunctionalGroupsSequence = [shared]
    frames = []
    for k in range(n_frames):
        item, position, content = Dataset(), Dataset(), Dataset()
        position.ImagePositionPatient = [-20.0, -30.0, 2.5 * k]
        content.InStackPositionNumber, content.StackID = k + 1, "1"
        content.DimensionIndexValues = [1, k + 1]
        item.PlanePositionSequence, item.FrameContentSequence = [position], [content]
        if per_frame:
            voi = Dataset()
            shifted = np.add(centre, 0 if k == 0 or not vary else 50 * k).tolist()
            voi.WindowCenter, voi.WindowWidth = shifted, width
            item.FrameVOILUTSequence = [voi]
        frames.append(item)
    ds.PerFrameFunctionalGroupsSequence = frames
    ds.PixelData = np.stack([_pixels(k) for k in range(n_frames)]).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path
