"""Cross-check neuroview's own header reader against pydicom's path, file by file."""

from __future__ import annotations

import dataclasses
import os

from neuroview.io.dicom import dataset_frames, scan
from neuroview.io.dicom.load import source_metadata
from neuroview.io.dicom.quick_read import quick_read
from neuroview.io.dicom.refs import FileScan, FrameRef

FIELDS = [f.name for f in dataclasses.fields(FrameRef) if f.compare]


def record(result: FileScan) -> tuple:
    """Everything a scan keeps of a file (``repr`` tells NaN and -0.0 apart, like a test
    would want), less the parsed dataset."""
    frames = [[getattr(ref, name) for name in FIELDS] for ref in result.frames]
    error = f"{type(result.error).__name__}: {result.error}" if result.error else ""
    return repr(frames), result.note, error, result.dicomdir_files


def identifying(ds) -> tuple:
    """What a loaded volume keeps of its first file's header (load.first_header)."""
    rescale_type = ds.get("RescaleType", "HU")
    return source_metadata(ds), str(rescale_type or "HU")


def quick_record(path: str):
    """The quick reader's record of ``path``, or ``None`` where it declines (as the scan
    then does: by returning None or by raising while the frames are made); with its
    identifying values, or ``None`` where the loader would take pydicom's."""
    quick = quick_read(path)
    if quick is None:
        return None
    try:
        result = dataset_frames.frames_of_dataset(quick, path, os.path.getsize(path), {})
    except Exception:  # noqa: BLE001 - read_file falls back to pydicom here
        return None
    try:
        values = identifying(quick) if result.frames else None
    except Exception:  # noqa: BLE001 - load.first_header falls back to pydicom here
        values = None
    return record(result), values


def pydicom_record(path: str, with_values: bool = True):
    """pydicom's path's record of ``path`` (see :func:`quick_record`)."""
    result = scan.read_with_pydicom(path, {})
    values = identifying(result.frames[0].dataset) if with_values and result.frames else None
    return record(result), values


def same_as_pydicom(path: str) -> bool:
    """Where the quick reader reads ``path``, it gives pydicom's records (asserted)."""
    quick = quick_record(path)
    if quick is None:
        return False
    expected = pydicom_record(path, quick[1] is not None)
    assert quick == expected, f"quick header reader differs from pydicom on {path}"
    return True


def checked_read_file(path: str, cache=None) -> FileScan:
    """``read_file``, failing the test when the quick reader's record differs from pydicom's,
    or when what the scan made of the file (maybe as a template's differences: see
    neuroview.io.dicom.templates) differs from the file's full reading."""
    result = scan.read_file(path, cache)
    quick = quick_record(path)
    if quick is not None:
        assert quick == pydicom_record(path, quick[1] is not None), \
            f"quick header reader differs from pydicom on {path}"
    full = quick[0] if quick is not None else pydicom_record(path, False)[0]
    assert record(result) == full, f"the scan's frames differ from the full reading of {path}"
    return result
