"""Fixtures for the DICOM tests: series written from the MNI template, cached for the session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quick_check import checked_read_file  # noqa: E402
from series_maker import SeriesSpec, write_series  # noqa: E402


@pytest.fixture(autouse=True)
def cross_check_quick_reader(monkeypatch):
    """Every DICOM file these tests scan is also read by pydicom: the test fails where
    neuroview's own header reader (neuroview.io.dicom.quick_read) gives other frames."""
    from neuroview.io.dicom import headers

    monkeypatch.setattr(headers, "read_file", checked_read_file)


@pytest.fixture(scope="session")
def make_series(tmp_path_factory, mni_volume):
    """``make_series(name, **spec)`` writes a series once per session and returns it."""
    cache: dict = {}
    root = tmp_path_factory.mktemp("dicom-series")

    def make(name: str, **fields):
        if name not in cache:
            cache[name] = write_series(root / name, mni_volume, SeriesSpec(**fields))
        return cache[name]

    return make
