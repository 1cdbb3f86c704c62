"""DICOM files whose number, code and UID elements hold a person's name (:data:`MARKER`), for the
tests that no error line quotes a header's value (tests/cli/test_private_error_lines.py,
tests/ui/test_private_error_window.py)."""

from __future__ import annotations

from pathlib import Path

MARKER = "ZZSECRET^PATIENT"
"""A patient's name where a number, a code or a UID belongs: never said, logged or shown."""


def put_text(ds, keyword: str, first: str = MARKER) -> None:
    """``ds``'s ``keyword`` rewritten as raw bytes ``first`` (then the element's other values, as
    they were), which pydicom neither checks nor corrects as it writes."""
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.dataelem import RawDataElement
    from pydicom.tag import Tag

    tag = Tag(tag_for_keyword(keyword))
    rest = [str(v) for v in list(ds[tag].value)[1:]] if tag in ds and ds[tag].VM > 1 else []
    value = "\\".join([first, *rest]).encode()
    value += b" " * (len(value) % 2)
    if tag in ds:
        del ds[tag]
    ds[tag] = RawDataElement(tag, dictionary_VR(tag), len(value), value, 0, False, True)


def series_with_text(folder: Path, keyword: str, compress: bool = False) -> list[Path]:
    """A small CT series (tests.dataset.fake_dicom) whose every file holds :data:`MARKER` as the
    first value of ``keyword``; RLE-compressed with ``compress``."""
    import pydicom
    from pydicom.uid import RLELossless

    from tests.dataset.fake_dicom import make_ct_series

    make_ct_series(folder, shape=(12, 10, 3))
    files = sorted(folder.glob("*.dcm"))
    for file in files:
        ds = pydicom.dcmread(file)
        if compress:
            ds.compress(RLELossless)
        put_text(ds, keyword)
        ds.save_as(file)
    return files
