"""Write a small CT series as scanners write it: a head in HU (air, skull, brain, a bleed)
inside a circular field of view, with PixelPaddingValue outside it (GE: -2000 stored), stored
signed or unsigned with RescaleIntercept -1024. Returns the values a reader should give."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from series_maker import new_dataset

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"


@dataclass
class WrittenCT:
    folder: Path
    hu: np.ndarray
    """Values of the image's voxels, indexed [column, row, slice], slices from the lowest
    ImagePositionPatient z up (as loaded); NaN where the stored value is padding."""
    stored_padding: int


def head_hu(size: int, n_slices: int, spacing: float) -> np.ndarray:
    """[column, row, slice] HU: air, a skull ring, brain with a 70 HU bleed."""
    x = (np.arange(size) - (size - 1) / 2) * spacing
    r = np.hypot(*np.meshgrid(x, x * 0.8, indexing="ij"))
    slab = np.where(r < 70, 1000, -1000)
    slab = np.where(r < 63, 35, slab)
    slab = np.where(np.hypot(*np.meshgrid(x - 25, x, indexing="ij")) < 10, 70, slab)
    rng = np.random.default_rng(3)
    return (slab[:, :, None] + rng.integers(-5, 6, (size, size, n_slices))).astype(np.int32)


def chest_hu(size: int, n_slices: int, spacing: float) -> np.ndarray:
    """[column, row, slice] HU of a chest: air, a 340 x 240 mm body (fat, muscle), two lungs at
    -850 HU, the mediastinum at 40 HU and a vertebra at 700 HU."""
    x = (np.arange(size) - (size - 1) / 2) * spacing
    cx, cy = np.meshgrid(x, x, indexing="ij")
    slab = np.where((cx / 170) ** 2 + (cy / 120) ** 2 < 1, -100, -1000)
    slab = np.where((cx / 155) ** 2 + (cy / 105) ** 2 < 1, 45, slab)
    for side in (-1, 1):
        slab = np.where(((cx - side * 70) / 60) ** 2 + (cy / 85) ** 2 < 1, -850, slab)
    slab = np.where(np.hypot(cx, cy - 85) < 18, 700, slab)
    rng = np.random.default_rng(3)
    return (slab[:, :, None] + rng.integers(-5, 6, (size, size, n_slices))).astype(np.int32)


def write_ct(folder: Path, *, unsigned: bool = False, padding: int = -2000, size: int = 48,
             n_slices: int = 4, spacing: float = 4.0, slope: float = 1.0, intercept: float = -1024,
             range_limit: int | None = None, modality: str = "CT",
             fov_mm: float = 88.0, syntax: str = "1.2.840.10008.1.2.1", chest: bool = False,
             body_part: str | None = None, header_window: tuple[float, float] | None = None,
             ) -> WrittenCT:
    import pydicom
    from pydicom.uid import generate_uid

    folder.mkdir(parents=True, exist_ok=True)
    hu = (chest_hu if chest else head_hu)(size, n_slices, spacing)
    stored = np.rint((hu - intercept) / slope).astype(np.int64)
    x = (np.arange(size) - (size - 1) / 2) * spacing
    outside = np.hypot(*np.meshgrid(x, x, indexing="ij")) > fov_mm
    stored[outside] = padding
    if range_limit is not None:  # a range of padding values: some voxels inside it, not at its end
        half = outside & (np.indices((size, size)).sum(axis=0) % 2 == 0)
        stored[half] = (padding + range_limit) // 2
    values = stored * slope + intercept
    values = np.where(outside[:, :, None], np.nan, values)
    series, study = generate_uid(), generate_uid()
    for k in range(n_slices):
        ds = new_dataset(CT_IMAGE_STORAGE, syntax)
        ds.Modality, ds.Manufacturer, ds.PatientID = modality, "GE MEDICAL SYSTEMS", "CT-PAD"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SeriesNumber, ds.SeriesDescription, ds.InstanceNumber = 2, "CHEST" if chest else "HEAD", k + 1
        if body_part is not None:
            ds.BodyPartExamined = body_part
        if header_window is not None:
            ds.WindowWidth, ds.WindowCenter = f"{header_window[0]:g}", f"{header_window[1]:g}"
        ds.ImagePositionPatient = [-(size - 1) / 2 * spacing, -(size - 1) / 2 * spacing, k * 5.0]
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.PixelSpacing, ds.SliceThickness = [spacing, spacing], 5.0
        ds.Rows = ds.Columns = size
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
        ds.PixelRepresentation = 0 if unsigned else 1
        ds.RescaleSlope, ds.RescaleIntercept = f"{slope:g}", f"{intercept:g}"
        # the VR (US or SS) follows PixelRepresentation, as the standard has it
        ds.add_new(0x00280120, "US" if unsigned else "SS", padding)
        if range_limit is not None:
            ds.add_new(0x00280121, "US" if unsigned else "SS", range_limit)
        pixels = np.ascontiguousarray(stored[:, :, k].T).astype(np.uint16 if unsigned else np.int16)
        big = syntax == "1.2.840.10008.1.2.2"
        ds.PixelData = (pixels.astype(pixels.dtype.newbyteorder(">")) if big else pixels).tobytes()
        pydicom.dcmwrite(folder / f"CT{k:03d}.dcm", ds, enforce_file_format=True)
    return WrittenCT(folder, values, padding)


def write_perfusion_ct(tmp_path: Path, fovs=(80.0, 60.0)) -> tuple[Path, list[np.ndarray]]:
    """A 4D CT (a perfusion run) in ``tmp_path / "perfusion"``: one :func:`write_ct` per time point,
    each with its own field of view (``fovs``, mm: time point 2's smaller), one series, the time
    points by TemporalPositionIdentifier. The folder and each time point's HU (NaN outside its
    field)."""
    import pydicom

    folder, series, hus = tmp_path / "perfusion", pydicom.uid.generate_uid(), []
    folder.mkdir()
    for t, fov in enumerate(fovs):
        written = write_ct(tmp_path / f"t{t}", fov_mm=fov)
        hus.append(written.hu)
        for path in sorted(written.folder.glob("*.dcm")):
            ds = pydicom.dcmread(path)
            ds.SeriesInstanceUID = series
            ds.AcquisitionTime, ds.TemporalPositionIdentifier = f"1011{10 + t:02d}.000", t + 1
            ds.InstanceNumber = int(ds.InstanceNumber) + 4 * t
            ds.save_as(folder / f"t{t}_{path.name}")
    return folder, hus
