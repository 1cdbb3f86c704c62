"""One slice whose ImagePositionPatient is missing, NaN, infinite or absurd (1e300) among slices
that are placed: that file is left out with a warning naming it, the others are placed by their
positions (a gap where it lay is a missing slice, said so and resampled as any other).

Until session 28 the one damaged file sent the whole series to acquisition order (instance
numbers here run against the positions: every slice reversed). dcm2niix 1.0.20260724 keeps the
file and sorts the series around it: on these 8 slices it wrote the slices in the order
4, 5, 6, 7, 3, 0, 1, 2 (NaN, infinite, missing) or 0, 1, 2, 4, 5, 6, 7, 3 (1e300).
"""

from __future__ import annotations

import shutil

import nibabel as nib
import numpy as np
import pydicom
import pytest
from raw_series import stored_pixels, write_raw_series
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load, scan

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

N = 8
DAMAGE = {"NaN": (0, 0, "NaN"), "infinite": (0, "inf", 6), "1e300": (0, 0, 1e300),
          "missing": None}


def _series(folder, damaged: int, damage):
    """8 axial slices 2 mm apart (slice k at LPS z = 2k mm, instance number 8 - k), slice
    ``damaged``'s position replaced by ``damage`` (None: the element removed)."""
    def per_slice(k):
        fields = {"InstanceNumber": N - k}
        if k == damaged and damage is not None:
            fields["ImagePositionPatient"] = damage
        return fields

    paths = write_raw_series(folder, n=N, per_slice=per_slice)
    if damage is None:
        ds = pydicom.dcmread(paths[damaged])
        del ds.ImagePositionPatient
        ds.save_as(paths[damaged])
    return paths


@pytest.mark.parametrize("name", list(DAMAGE))
def test_the_other_slices_stay_in_place_and_the_gap_is_said(tmp_path, name):
    _series(tmp_path / "s", 3, DAMAGE[name])
    (candidate,) = scan(tmp_path / "s").candidates
    left_out = [w for w in candidate.warnings if "IM0003.dcm" in w]
    assert left_out == ["ImagePositionPatient missing or not usable (not finite, or beyond "
                        "1e+06 mm) in IM0003.dcm: left out, the other 7 images placed by their "
                        "positions"], candidate.warnings
    assert any(w.startswith("1 missing slice (a gap of 4 mm where slices are 2 mm apart)")
               and "slice 4 of 8 (axial view) interpolated" in w for w in candidate.warnings)
    volume = load(tmp_path / "s")
    assert volume.shape == (12, 16, 8)
    centres = volume.ijk_to_ras_points(np.array([[0.0, 0.0, k] for k in range(N)]))
    np.testing.assert_allclose(centres[:, 2], 2.0 * np.arange(N), atol=1e-6)  # RAS z = LPS z
    for k in range(N):  # each acquired slice where it was acquired; the left-out one between
        expected = stored_pixels(k).T if k != 3 else (stored_pixels(2).T + stored_pixels(4).T) / 2
        np.testing.assert_array_equal(volume.array[:, :, k], expected)


def test_converted_as_dcm2niix_converts_the_placed_files_alone(tmp_path, cli):
    """The last slice damaged (no gap): the NIfTI nibabel reads back holds the same voxels at the
    same places as dcm2niix's conversion of the seven undamaged files."""
    paths = _series(tmp_path / "s", N - 1, DAMAGE["NaN"])
    done = cli("convert", tmp_path / "s", tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "IM0007.dcm: left out, the other 7 images placed by their positions" in line
    ours = nib.load(tmp_path / "out.nii.gz")
    assert ours.shape == (12, 16, 7)
    good = tmp_path / "good"
    good.mkdir()
    for path in paths[:-1]:
        shutil.copy(path, good / path.name)
    (theirs,) = [nib.load(p) for p in run_dcm2niix(good, tmp_path / "dcm2niix")]
    compare_in_world(np.asarray(ours.dataobj), ours.affine, np.asarray(theirs.dataobj),
                     theirs.affine)


def test_when_most_positions_are_unusable_the_series_is_stacked_in_acquisition_order(tmp_path):
    write_raw_series(tmp_path / "s", n=4, per_slice=lambda k: {
        "InstanceNumber": 4 - k,
        **({"ImagePositionPatient": (0, 0, "NaN")} if k < 2 else {})})
    (candidate,) = scan(tmp_path / "s").candidates
    (warning,) = candidate.warnings
    assert warning.startswith("ImagePositionPatient of 2 images is not usable")
    assert "acquisition order" in warning
    volume = load(tmp_path / "s")
    for k in range(4):  # slice k is the k-th acquired: instance k + 1 is file 3 - k
        np.testing.assert_array_equal(volume.array[:, :, k], stored_pixels(3 - k).T)
