"""A sagittal T2 lumbar spine as an MR scanner writes it: one series of sagittal slices (rows run
from anterior to posterior, columns from head to feet), 0.6 x 0.6 mm pixels, 4 mm apart, a tall
field of view (240 x 154 mm), BodyPartExamined LSPINE.

Inside: five vertebral bodies (grey, 25 mm tall, 35 mm deep) with bright discs (10 mm) between
them, the CSF column behind them bright with the cauda equina dark in it, in the middle slices
(the canal 16 mm wide), fat (bright) and muscle (dark) behind. Returns the values written,
[column (A->P), row (S->I), slice (L->R... as written: from the left)], and the layout's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
PIXEL_MM, STEP_MM = 0.6, 4.0
BODY_MM, DISC_MM, DEPTH_MM = 25.0, 10.0, 35.0
TOP_MM, FRONT_MM = 30.0, 40.0
"""The first body's top below the image's top edge, its front behind the image's front edge."""


@dataclass
class WrittenSpine:
    folder: Path
    values: np.ndarray
    """[column, row, slice] as written (columns A->P, rows S->I, slices from patient left...
    as ImagePositionPatient runs: from the right (-x LPS) to the left)."""
    ijk_to_ras: np.ndarray
    """Voxel [column, row, slice] -> RAS mm, from the positions and orientation written."""


def body_rows(n: int) -> tuple[float, float]:
    """Top and bottom (mm below the image's top edge) of vertebral body ``n`` (0: the first)."""
    top = TOP_MM + n * (BODY_MM + DISC_MM)
    return top, top + BODY_MM


def write_spine(folder: Path, rows: int = 400, cols: int = 256, n_slices: int = 13,
                body_part: str = "LSPINE") -> WrittenSpine:
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    down = (np.arange(rows) + 0.5) * PIXEL_MM      # mm below the top edge (pixel centres)
    back = (np.arange(cols) + 0.5) * PIXEL_MM      # mm behind the front edge
    across = (np.arange(n_slices) - (n_slices - 1) / 2) * STEP_MM   # mm right of the midline
    a, s, x = np.meshgrid(back, down, across, indexing="ij")
    values = np.full((cols, rows, n_slices), 120.0)            # muscle
    values[a > FRONT_MM + DEPTH_MM + 30] = 700.0              # fat behind
    for n in range(5):
        top, bottom = body_rows(n)
        in_front = (a >= FRONT_MM) & (a < FRONT_MM + DEPTH_MM) & (np.abs(x) < 25)
        values[in_front & (s >= top) & (s < bottom)] = 350.0
        values[in_front & (s >= bottom) & (s < bottom + DISC_MM)] = 650.0
    canal = (a >= FRONT_MM + DEPTH_MM + 2) & (a < FRONT_MM + DEPTH_MM + 18) & (np.abs(x) < 8)
    values[canal] = 900.0
    values[canal & (np.abs(a - (FRONT_MM + DEPTH_MM + 10)) < 3) & (np.abs(x) < 3)] = 200.0
    study, series, frame_uid = generate_uid(), generate_uid(), generate_uid()
    row_dir, col_dir = np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, -1.0])   # LPS: A->P, S->I
    normal = np.cross(row_dir, col_dir)                                           # -x: to the right
    origin = np.array([0.0, -100.0, 120.0])
    for k in range(n_slices):
        position = origin + across[k] * np.array([-1.0, 0.0, 0.0])   # right of the midline: -x
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MR_IMAGE_STORAGE
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID, ds.SOPInstanceUID = MR_IMAGE_STORAGE, meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study, series, frame_uid
        ds.PatientName, ds.PatientID = "Spine^Test", "SPINE01"
        ds.Modality, ds.Manufacturer = "MR", "SIEMENS"
        ds.SeriesNumber, ds.SeriesDescription = 5, "t2_tse_sag"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NORM"]
        ds.BodyPartExamined = body_part
        ds.StudyDate = ds.SeriesDate = "20260301"
        ds.InstanceNumber = k + 1
        ds.EchoTime, ds.RepetitionTime, ds.MagneticFieldStrength = "96", "3500", "1.5"
        ds.ImagePositionPatient = [float(v) for v in position]
        ds.ImageOrientationPatient = [float(v) for v in np.concatenate([row_dir, col_dir])]
        ds.PixelSpacing = [PIXEL_MM, PIXEL_MM]
        ds.SliceThickness = STEP_MM
        ds.SpacingBetweenSlices = STEP_MM
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.Rows, ds.Columns = rows, cols
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
        ds.PixelData = np.ascontiguousarray(values[:, :, k].T.astype(np.uint16)).tobytes()
        ds.save_as(folder / f"IM{k:03d}.dcm", enforce_file_format=True)
    ijk_to_lps = np.eye(4)
    ijk_to_lps[:3, 0], ijk_to_lps[:3, 1] = row_dir * PIXEL_MM, col_dir * PIXEL_MM
    ijk_to_lps[:3, 2] = normal * STEP_MM
    ijk_to_lps[:3, 3] = origin + across[0] * np.array([-1.0, 0.0, 0.0])
    return WrittenSpine(folder, values, np.diag([-1.0, -1.0, 1.0, 1.0]) @ ijk_to_lps)
