"""Where slices go: files without patient position (issue 10 item 24), uneven slices (issue 11.6)."""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from series_maker import run_dcm2niix

from neuroview.io import load


@pytest.mark.parametrize("gap, thickness, step", [("1.2", None, 1.2), (None, "2.5", 2.5),
                                                  (None, None, 1.0)])
def test_frames_without_position_are_stacked_at_the_slice_spacing(tmp_path, gap, thickness, step):
    # pydicom's enhanced MR test file has no plane positions at all; SpacingBetweenSlices 1.2
    ds = pydicom.dcmread(get_testdata_file("emri_small.dcm"))
    del ds.SpacingBetweenSlices
    if gap is not None:
        ds.SpacingBetweenSlices = gap
    if thickness is not None:
        ds.SliceThickness = thickness
    (tmp_path / "in").mkdir()
    ds.save_as(tmp_path / "in" / "emri.dcm")
    volume = load(tmp_path / "in" / "emri.dcm")
    assert volume.spacing == pytest.approx((1.0, 1.0, step))
    assert any(w.startswith("no patient position") and f"{step:g} mm apart" in w
               for w in volume.warnings)
    reference = nib.load(run_dcm2niix(tmp_path / "in", tmp_path / "out")[0])
    assert reference.header.get_zooms()[2] == pytest.approx(step)  # dcm2niix stacks them so too
    # same frames in the same order (the RAS origin differs: dcm2niix centres such a volume)
    np.testing.assert_array_equal(volume.array, reference.get_fdata())


def test_emri_small_as_shipped_uses_spacing_between_slices(tmp_path):
    shutil.copy(get_testdata_file("emri_small.dcm"), tmp_path / "emri.dcm")
    assert load(tmp_path / "emri.dcm").spacing[2] == pytest.approx(1.2)
