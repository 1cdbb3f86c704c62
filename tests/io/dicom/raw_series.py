"""Small DICOM series whose header values are written as raw text, so a test can give them
values pydicom refuses to make (``NaN``, ``inf``, ``1e300``, five orientation values): what a
damaged file or a hostile one holds. Pixels: ``stored_pixels(k)`` for slice ``k``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.uid import generate_uid
from series_maker import new_dataset

ROWS, COLS = 16, 12


def stored_pixels(k: int, rows: int = ROWS, cols: int = COLS) -> np.ndarray:
    return ((np.arange(rows * cols, dtype=np.uint16).reshape(rows, cols) + 10 * k) % 4000)


def set_raw(ds: Dataset, keyword: str, values) -> None:
    """``keyword`` (a DS, IS or CS element) holding ``values`` as text, unchecked."""
    tag = tag_for_keyword(keyword)
    values = values if isinstance(values, (list, tuple)) else [values]
    text = "\\".join(str(v) for v in values).encode()
    if len(text) % 2:
        text += b" "
    ds[tag] = RawDataElement(tag, dictionary_VR(tag), len(text), text, 0, False, True)


def write_raw_series(folder: Path, n: int = 5, per_slice=None, names=None, **values) -> list[Path]:
    """``n`` axial MR slices 2 mm apart; ``values`` (keyword: raw value(s)) set on every file
    and ``per_slice(k)`` (a dict of the same) on slice ``k``; ``names(k)`` names the files."""
    folder.mkdir(parents=True, exist_ok=True)
    study, series = generate_uid(), generate_uid()
    paths = []
    for k in range(n):
        ds = new_dataset("1.2.840.10008.5.1.4.1.1.4")   # MR Image Storage
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.Modality, ds.SeriesNumber, ds.InstanceNumber, ds.SeriesDescription = "MR", 3, k + 1, "T1"
        ds.Rows, ds.Columns, ds.SamplesPerPixel = ROWS, COLS, 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        fields = {"PixelSpacing": (1.0, 1.0), "ImageOrientationPatient": (1, 0, 0, 0, 1, 0),
                  "ImagePositionPatient": (0.0, 0.0, 2.0 * k), "SliceThickness": 2.0}
        fields.update(values)
        fields.update(per_slice(k) if per_slice else {})
        for keyword, value in fields.items():
            set_raw(ds, keyword, value)
        ds.PixelData = stored_pixels(k).tobytes()
        path = folder / (names(k) if names else f"IM{k:04d}.dcm")
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


def write_cd(folder: Path, n: int) -> Path:
    """``n`` slices written as a CD holds them: a DICOMDIR in ``folder / "cd"`` and the files
    under PT000000/ST000000/SE000000/IM00000k (pydicom's FileSet). Returns the DICOMDIR."""
    import warnings

    from pydicom.fileset import FileSet

    paths = write_raw_series(folder / "src", n=n, StudyDate="20260101", StudyTime="120000",
                             StudyID="1", PatientID="P", PatientName="P")
    files = FileSet()
    for path in paths:
        files.add(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        files.write(str(folder / "cd"))
    return folder / "cd" / "DICOMDIR"
