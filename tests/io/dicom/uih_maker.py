"""Write a UIH (United Imaging) "grid" mosaic: one image holding all slices as tiles, with the
geometry only in UIH's private "Image Private Header" block (no ImagePositionPatient).

Layout as GDCM's / Aliza's SplitUihGridFilter and dcm2niix read it: (0065,1050) DS number of
slices in the volume, (0065,1051) SQ "MRVFrameSequence" with one item per slice holding its
ImagePositionPatient, (0065,1014) DS slice normal; square tiles, ceil(sqrt(n)) per row, filled
row by row, as many rows as needed; ImageType carries VFRAME.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from series_maker import LPS_TO_RAS, ORIENTATIONS, _sample, new_dataset


def write_uih_mosaic(path: Path, mni_volume, n_slices: int = 10, tile: int = 32,
                     spacing: float = 5.0, slice_step: float = 6.0, orientation: str = "axial",
                     series_uid: str = "", instance: int = 1, value_scale: float = 1.0,
                     tile_rows: int = 0):
    """Returns (stored values [column, row, slice], ijk_to_ras) of the volume it holds.

    ``orientation``: a key of :data:`series_maker.ORIENTATIONS`; a negative ``slice_step``
    stores the slices from the far end (positions decreasing along the normal). Files of one
    ``series_uid`` with other ``instance`` numbers are the time points of a run. ``tile_rows``:
    rows of a tile when it is not square (``tile`` is then its columns)."""
    tile_rows = tile_rows or tile
    import pydicom
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence
    from pydicom.uid import generate_uid

    row_dir, col_dir = (np.array(v, float) for v in ORIENTATIONS[orientation])
    normal = np.cross(row_dir, col_dir)
    half = np.array([(tile - 1) * spacing, (tile_rows - 1) * spacing, (n_slices - 1) * slice_step]) / 2
    origin = np.array([0.0, 18.0, 18.0]) - np.array([row_dir, col_dir, normal]).T @ half
    affine_lps = np.eye(4)
    affine_lps[:3, 0], affine_lps[:3, 1] = row_dir * spacing, col_dir * spacing
    affine_lps[:3, 2], affine_lps[:3, 3] = normal * slice_step, origin
    ijk_to_ras = LPS_TO_RAS @ affine_lps
    grid = np.stack(np.meshgrid(np.arange(tile), np.arange(tile_rows), np.arange(n_slices),
                                indexing="ij"), -1).astype(float)
    values = np.rint(_sample(mni_volume, grid @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3]) * 8
                     * value_scale).astype(np.int16)
    per_row = math.ceil(math.sqrt(n_slices))
    # as many rows of tiles as needed (how dcm2niix reads it; GDCM takes square tiles of
    # width / ceil(sqrt(n)), which agrees)
    mosaic = np.zeros((math.ceil(n_slices / per_row) * tile_rows, per_row * tile),
                      dtype=np.int16)
    for k in range(n_slices):
        r, c = divmod(k, per_row)
        mosaic[r * tile_rows:(r + 1) * tile_rows, c * tile:(c + 1) * tile] = values[:, :, k].T

    ds = new_dataset("1.2.840.10008.5.1.4.1.1.4")   # MR Image Storage
    ds.PatientName, ds.PatientID, ds.PatientPosition = "Doe^Jane", "NV-TEST-0003", "HFS"
    ds.StudyDate, ds.StudyTime, ds.Modality, ds.Manufacturer = "20240102", "101010", "MR", "UIH"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = "1.2.3.4", series_uid or generate_uid()
    ds.FrameOfReferenceUID = "1.2.3.4.1"
    ds.SeriesNumber, ds.SeriesDescription, ds.ProtocolName = 7, "epi grid", "epi grid"
    ds.InstanceNumber, ds.AcquisitionNumber = instance, instance
    ds.AcquisitionTime = f"1010{10 + 2 * instance:02d}.000"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "VFRAME"]
    ds.ImageOrientationPatient = [f"{x:g}" for x in np.concatenate([row_dir, col_dir])]
    ds.PixelSpacing = [f"{spacing:g}", f"{spacing:g}"]
    ds.SliceThickness = ds.SpacingBetweenSlices = f"{abs(slice_step):g}"
    ds.EchoTime, ds.RepetitionTime = "30", "2000"
    ds.Rows, ds.Columns = mosaic.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.add_new(0x00650010, "LO", "Image Private Header")
    ds.add_new(0x00651014, "DS", [f"{x:g}" for x in normal])
    ds.add_new(0x00651050, "DS", str(n_slices))
    frames = []
    for k in range(n_slices):
        item = Dataset()
        item.ImagePositionPatient = [f"{x:.6f}" for x in origin + k * affine_lps[:3, 2]]
        item.ImageOrientationPatient = ds.ImageOrientationPatient
        item.AcquisitionDateTime = f"202401021010{10 + 2 * instance:02d}.{k:03d}"
        frames.append(item)
    ds.add_new(0x00651051, "SQ", Sequence(frames))
    ds.PixelData = mosaic.tobytes()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pydicom.dcmwrite(path, ds, enforce_file_format=True)
    return values, ijk_to_ras
