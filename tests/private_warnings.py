"""pydicom's warnings and log lines as the ``neuroview`` command has them
(:mod:`neuroview.cli.dicom_warnings`), for a test, and DICOM files holding invalid values that
pydicom quotes. Import the fixture where used: ``from tests.private_warnings import private_warnings``."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

BAD_VALUES = {"PatientBirthDate": b"2026", "PatientName": b"Zorglub^Secret" + b"X" * 60,
              "FrameOfReferenceUID": b"1.2.840.99.abc"}
"""Invalid values (a year alone; a name component past 64 characters; a UID with letters) that
must never be said."""
SAID_NEVER = ("2026", "Zorglub", "99.abc")


def with_bad_values(files) -> None:
    """Rewrite ``files`` with :data:`BAD_VALUES` as they are, bytes no check of pydicom's corrects."""
    import pydicom
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.dataelem import RawDataElement
    from pydicom.tag import Tag

    for file in map(Path, files):
        ds = pydicom.dcmread(file)
        for keyword, value in BAD_VALUES.items():
            value += b" " * (len(value) % 2)
            tag = Tag(tag_for_keyword(keyword))
            del ds[tag]
            ds[tag] = RawDataElement(tag, dictionary_VR(tag), len(value), value, 0, False, True)
        ds.save_as(file)


@pytest.fixture
def private_warnings(monkeypatch):
    """The command's rewriting of pydicom's warnings and log records (``install``) for one test:
    both as they were afterwards."""
    from neuroview.cli.dicom_warnings import install

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    factory = logging.getLogRecordFactory()
    install()
    yield
    logging.setLogRecordFactory(factory)
