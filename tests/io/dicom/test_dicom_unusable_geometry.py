"""Positions, orientations and spacings a damaged or hostile header holds (NaN, infinity,
1e300, zero or parallel directions): the series is stacked as images without a position are,
with a warning saying which value was not usable, never a 4D series of one slice, a NaN affine,
an internal error or numpy's warnings on the terminal."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from raw_series import stored_pixels, write_raw_series

from neuroview.io import load, scan

UNUSABLE = {
    "orientation NaN": ({"ImageOrientationPatient": ("NaN", 0, 0, 0, 1, 0)}, "not finite"),
    "orientation zero": ({"ImageOrientationPatient": (0, 0, 0, 0, 0, 0)}, "length 0"),
    "orientation parallel": ({"ImageOrientationPatient": (1, 0, 0, 1, 0, 0)}, "parallel"),
    "orientation 60 degrees": ({"ImageOrientationPatient": (1, 0, 0, 0.5, 0.866, 0)},
                               "60 degrees apart"),
    "position NaN": ({"per_slice": lambda k: {"ImagePositionPatient": (0, 0, "NaN")}},
                     "ImagePositionPatient of 5 image(s) is not usable"),
    "position infinite": ({"per_slice": lambda k: {"ImagePositionPatient": (0, "inf", 2 * k)}},
                          "ImagePositionPatient of 5 image(s) is not usable"),
    "position 1e300": ({"per_slice": lambda k: {"ImagePositionPatient": (0, 0, 1e300 * (k + 1))}},
                       "beyond 1e+06 mm"),
}


@pytest.mark.parametrize("name", list(UNUSABLE))
def test_an_unusable_position_or_orientation_stacks_the_slices_in_acquisition_order(tmp_path, name):
    values, reason = UNUSABLE[name]
    write_raw_series(tmp_path / "s", **values)
    found = scan(tmp_path / "s")
    (candidate,) = found.candidates
    assert candidate.shape == (12, 16, 5)  # five slices, not one slice at five times
    assert any("is not usable" in w and reason in w and "acquisition order" in w
               for w in candidate.warnings), candidate.warnings
    volume = load(tmp_path / "s")
    assert np.all(np.isfinite(volume.ijk_to_ras))
    assert np.allclose(np.abs(np.diag(volume.ijk_to_ras))[:3], [1, 1, 2])
    for k in range(5):  # slice k is the k-th acquired; [i, j] = [column, row]
        assert np.array_equal(volume.array[:, :, k], stored_pixels(k).T)


def test_a_usable_series_is_placed_by_its_positions(tmp_path):
    """The check leaves real geometry alone (orientation vectors of length 2 and 3 are directions)."""
    write_raw_series(tmp_path / "s", ImageOrientationPatient=(0, 2, 0, 0, 0, -3),
                     per_slice=lambda k: {"ImagePositionPatient": (5.0 * k, 0, 0)})
    (candidate,) = scan(tmp_path / "s").candidates
    assert not candidate.warnings
    volume = load(tmp_path / "s")
    # the normal (row x column) points to LPS -x: the slice at x = 20 mm comes first
    assert np.allclose(volume.ijk_to_ras[:3, 2], [5, 0, 0])  # LPS -x is RAS +x, 5 mm a slice
    assert np.allclose(volume.ijk_to_ras[:3, 3], [-20, 0, 0])
    assert np.array_equal(volume.array[:, :, 0], stored_pixels(4).T)


def test_a_pixel_spacing_of_1e300_is_not_used(tmp_path):
    write_raw_series(tmp_path / "s", PixelSpacing=(1e300, 1e300))
    (candidate,) = scan(tmp_path / "s").candidates
    assert candidate.spacing == (1.0, 1.0, 2.0)
    assert any("pixel spacing 1e+300 x 1e+300 mm is not usable" in w for w in candidate.warnings)


@pytest.mark.parametrize("name", ["orientation parallel", "position 1e300"])
def test_convert_writes_such_a_series_with_one_warning_line(tmp_path, cli, name):
    values, reason = UNUSABLE[name]
    write_raw_series(tmp_path / "s", **values)
    done = cli("convert", tmp_path / "s", tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.strip().splitlines()  # was numpy's RuntimeWarnings, then an error
    assert reason in line
    written = nib.load(tmp_path / "out.nii.gz")
    assert written.shape == (12, 16, 5)
    assert np.array_equal(np.asarray(written.dataobj)[:, :, 4], stored_pixels(4).T)
