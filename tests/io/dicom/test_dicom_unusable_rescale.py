"""A RescaleSlope or RescaleIntercept of NaN, infinity or 1e308 (damage, or a hostile file):
the stored values are used, with a warning, as nibabel reads a NIfTI scl_slope of NaN. Applied,
every voxel of the volume was NaN or infinite, and nothing said so."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from raw_series import stored_pixels, write_raw_series

from neuroview.io import load, scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.mark.parametrize("slope, intercept", [("NaN", 0), ("inf", 0), ("-inf", 0), (1e308, 0),
                                              (1, "NaN"), (1, 1e308)])
def test_an_unusable_rescale_gives_the_stored_values(tmp_path, slope, intercept):
    write_raw_series(tmp_path / "s", RescaleSlope=slope, RescaleIntercept=intercept)
    (candidate,) = scan(tmp_path / "s").candidates
    assert any("of 5 images are not usable" in w and "stored values are used" in w
               for w in candidate.warnings), candidate.warnings
    volume = load(tmp_path / "s")
    assert np.all(np.isfinite(volume.array))
    for k in range(5):
        assert np.array_equal(volume.array[:, :, k], stored_pixels(k).T)


def test_a_usable_rescale_is_applied(tmp_path):
    write_raw_series(tmp_path / "s", RescaleSlope=2.5, RescaleIntercept=-1024)
    (candidate,) = scan(tmp_path / "s").candidates
    assert not candidate.warnings
    volume = load(tmp_path / "s")
    assert np.allclose(volume.array[:, :, 3], stored_pixels(3).T * 2.5 - 1024)


def test_convert_writes_the_stored_values_with_one_warning(tmp_path, cli):
    write_raw_series(tmp_path / "s", RescaleSlope="NaN", RescaleIntercept=0)
    done = cli("convert", tmp_path / "s", tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "rescale slope nan and intercept 0 of 5 images are not usable" in line
    written = np.asarray(nib.load(tmp_path / "out.nii.gz").dataobj)
    assert np.array_equal(written[:, :, 1], stored_pixels(1).T)
