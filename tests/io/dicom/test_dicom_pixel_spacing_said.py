"""A series with no PixelSpacing it can read (missing, text, one number) is read at 1 x 1 mm, as
dcm2niix reads a missing one, but says so: until session 43 it said nothing, so a lesion measured
in mm on it was silently wrong (dcm2niix 1.0.20260724 says nothing either, and writes text as
3.5e9 mm)."""

from __future__ import annotations

import pydicom
import pytest
from raw_series import write_raw_series

from neuroview.io import load, scan

SAID = ("no pixel spacing it can read (PixelSpacing missing, or not two numbers): 1 x 1 mm "
        "assumed, measurements in mm may be wrong")


@pytest.mark.parametrize("value", ["ZZ\\YY", "0.5", None], ids=["text", "one number", "missing"])
def test_an_unreadable_pixel_spacing_is_said_and_read_as_1_mm(tmp_path, value):
    paths = write_raw_series(tmp_path / "s", n=4, PixelSpacing=value or (1.0, 1.0))
    if value is None:
        for path in paths:
            ds = pydicom.dcmread(path)
            del ds.PixelSpacing
            ds.save_as(path)
    (candidate,) = scan(tmp_path / "s").candidates
    assert candidate.warnings == [SAID]
    assert candidate.spacing == (1.0, 1.0, 2.0)
    assert load(tmp_path / "s").spacing == pytest.approx((1.0, 1.0, 2.0))


def test_a_readable_pixel_spacing_says_nothing(tmp_path):
    write_raw_series(tmp_path / "s", n=4, PixelSpacing=(0.5, 0.7))
    (candidate,) = scan(tmp_path / "s").candidates
    assert candidate.warnings == [] and candidate.spacing == (0.7, 0.5, 2.0)


def test_an_imager_pixel_spacing_counts(tmp_path):
    """A projection image (CR, DX) names ImagerPixelSpacing instead: read, nothing said."""
    paths = write_raw_series(tmp_path / "s", n=4, ImagerPixelSpacing=(0.2, 0.2))
    for path in paths:
        ds = pydicom.dcmread(path)
        del ds.PixelSpacing
        ds.save_as(path)
    (candidate,) = scan(tmp_path / "s").candidates
    assert SAID not in candidate.warnings and candidate.spacing[:2] == (0.2, 0.2)
