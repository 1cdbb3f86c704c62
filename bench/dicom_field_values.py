"""DICOM templates and their field mutations for ``bench/fuzz_readers.py``: an enhanced
multi-frame file (four slices as one Legacy Converted Enhanced MR, written by highdicom: its
geometry in the functional group sequences), pydicom's ``emri_small.dcm`` (Enhanced MR, 10 frames,
no functional groups) and a DICOMDIR (pydicom's ``FileSet`` over three slices of
``tests/io/dicom/raw_series.py``), each element of each, sequences included, in turn removed or
set to hostile values as its VR allows (numbers: 0, -1, the type's extremes, NaN, infinity,
1e30; decimal and integer strings: the same as text and ""; other text: "" and a terminal
escape; a sequence: no items). A sequence of more than ``ITEMS`` items (the per-frame groups)
has its first and last item walked, others every item."""

from __future__ import annotations

import io
import logging
import tempfile
import warnings
from pathlib import Path

ITEMS = 8
NUMBERS = {"US": [0, 65535], "SS": [0, -1, -32768, 32767], "UL": [0, 0xFFFFFFFF],
           "SL": [0, -1, -(1 << 31), (1 << 31) - 1], "FL": [0.0, -1.0, float("nan"), float("inf"),
                                                          float("-inf"), 1e30],
           "FD": [0.0, -1.0, float("nan"), float("inf"), float("-inf"), 1e300]}
TEXT_NUMBERS = {"DS": ["0", "-1", "nan", "inf", "1e30", ""], "IS": ["0", "-1", "2147483647", ""]}
TEXT = ["", "a\x1b[31mb"]


def emri_bytes() -> bytes:
    """pydicom's Enhanced MR test file: 10 frames, but no functional groups (no geometry)."""
    from pydicom.data import get_testdata_file

    return Path(get_testdata_file("emri_small.dcm")).read_bytes()


def enhanced_bytes() -> bytes:
    """Four slices of ``raw_series`` as one Legacy Converted Enhanced MR file (highdicom): the
    geometry in the shared (pixel measures, orientation) and per-frame (position) groups."""
    import pydicom
    from highdicom.legacy import LegacyConvertedEnhancedMRImage
    from raw_series import write_raw_series

    values = dict(PatientID="FUZZ", PatientName="FUZZ", PatientBirthDate="20000101",
                  PatientSex="O", StudyDate="20260101", StudyTime="120000", StudyID="1",
                  AccessionNumber="1", ReferringPhysicianName="R", Manufacturer="M",
                  SeriesDate="20260101", SeriesTime="120000", ContentDate="20260101",
                  ContentTime="120000", AcquisitionNumber="1")
    logging.getLogger("highdicom").setLevel(logging.ERROR)   # the fields the slices lack
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slices = [pydicom.dcmread(p) for p in write_raw_series(Path(tmp), n=4, **values)]
        image = LegacyConvertedEnhancedMRImage(
            slices, series_instance_uid=pydicom.uid.generate_uid(), series_number=9,
            sop_instance_uid=pydicom.uid.generate_uid(), instance_number=1)
        out = io.BytesIO()
        image.save_as(out)
        return out.getvalue()


def dicomdir_files() -> tuple[bytes, dict[str, bytes]]:
    """The DICOMDIR's bytes and the files it lists (relative path: bytes)."""
    from pydicom.fileset import FileSet
    from raw_series import write_raw_series

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_raw_series(Path(tmp) / "src", n=3, PatientID="FUZZ", PatientName="FUZZ",
                                 StudyDate="20260101", StudyTime="120000", StudyID="1")
        files = FileSet()
        for path in paths:
            files.add(str(path))
        out = Path(tmp) / "out"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            files.write(str(out))
        beside = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
                  if p.is_file() and p.name != "DICOMDIR"}
        return (out / "DICOMDIR").read_bytes(), beside


def _walk(ds, where=()):
    """(path to the element: (tag, item index, tag, ...), element) of every element."""
    for element in ds:
        path = where + (element.tag,)
        yield path, element
        if element.VR == "SQ":
            items = list(range(len(element.value)))
            if len(items) > ITEMS:
                items = [items[0], items[-1]]
            for index in items:
                yield from _walk(element.value[index], path + (index,))


def _values(element) -> list:
    vm = element.VM if element.VM else 1
    if element.VR in NUMBERS:
        return [[v] * vm if vm > 1 else v for v in NUMBERS[element.VR]]
    if element.VR in TEXT_NUMBERS:
        return [[v] * vm if vm > 1 and v else v for v in TEXT_NUMBERS[element.VR]]
    if element.VR == "SQ":
        return [[]]
    if element.VR in ("UI", "CS", "LO", "SH", "PN", "DA", "TM", "DT", "ST", "LT", "AS"):
        return TEXT
    return []


def _name(path) -> str:
    return ".".join(f"{p:d}" if isinstance(p, int) and not hasattr(p, "group") else
                    f"({p.group:04x},{p.element:04x})" for p in path)


def _edited(data: bytes, path, value) -> bytes:
    """``data`` with the element at ``path`` removed (``value`` None) or set to ``value``."""
    import pydicom
    from pydicom import config

    config.settings.reading_validation_mode = config.IGNORE
    config.settings.writing_validation_mode = config.IGNORE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(io.BytesIO(data))
        parent = ds
        for step in path[:-1]:
            parent = parent[step].value if not isinstance(step, int) or hasattr(step, "group") \
                else parent[step]
        if value is None:
            del parent[path[-1]]
        else:
            parent[path[-1]].value = value
        out = io.BytesIO()
        ds.save_as(out, enforce_file_format=False)
    return out.getvalue()


def dataset_mutations(data: bytes) -> list[tuple[str, bytes]]:
    """Each element of ``data`` (a DICOM file) removed, then set to each hostile value."""
    import pydicom

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(io.BytesIO(data))
    out = []
    for path, element in list(_walk(ds)):
        for value in [None, *_values(element)]:
            said = " removed" if value is None else f"={value!r}"[:24]
            try:
                out.append((f"{_name(path)}{said}", _edited(data, path, value)))
            except Exception:  # noqa: BLE001 - a value pydicom cannot write: not a case
                continue
    return out
