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

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

UNUSABLE = {
    "orientation NaN": ({"ImageOrientationPatient": ("NaN", 0, 0, 0, 1, 0)}, "not finite"),
    "orientation zero": ({"ImageOrientationPatient": (0, 0, 0, 0, 0, 0)}, "length 0"),
    "orientation parallel": ({"ImageOrientationPatient": (1, 0, 0, 1, 0, 0)}, "parallel"),
    "orientation 60 degrees": ({"ImageOrientationPatient": (1, 0, 0, 0.5, 0.866, 0)},
                               "60 degrees apart"),
    "position NaN": ({"per_slice": lambda k: {"ImagePositionPatient": (0, 0, "NaN")}},
                     "ImagePositionPatient of 5 images is not usable"),
    "position infinite": ({"per_slice": lambda k: {"ImagePositionPatient": (0, "inf", 2 * k)}},
                          "ImagePositionPatient of 5 images is not usable"),
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


def test_a_pixel_spacing_of_1e_minus_300_is_not_used(tmp_path, cli):
    """It was used: numpy's ten lines of RuntimeWarnings, then `ijk_to_ras is singular (zero voxel
    size or collinear axes)` (session 46's hostile campaign)."""
    write_raw_series(tmp_path / "s", PixelSpacing=("1e-300", "5e-5"))
    done = cli("convert", tmp_path / "s", tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ("neuroview convert: warning: series [1]: pixel spacing 1e-300 x "
                                   "5e-05 mm is not usable: 1 x 1 mm assumed (as dcm2niix does)")
    assert np.allclose(nib.load(tmp_path / "out.nii.gz").header.get_zooms(), (1, 1, 2))


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


MOSAIC_DAMAGE = {
    "orientation parallel": ("ImageOrientationPatient", (1, 0, 0, 1, 0, 0),
                             "ImageOrientationPatient is not usable (the row and column "
                             "directions are parallel)"),
    "position NaN": ("ImagePositionPatient", ("NaN", 0, 0), "not finite or beyond 1e+06 mm"),
    "position 1e300": ("ImagePositionPatient", (1e300, 0, 0), "not finite or beyond 1e+06 mm"),
}


@pytest.mark.parametrize("name", list(MOSAIC_DAMAGE))
def test_a_siemens_mosaic_that_cannot_be_placed_is_one_line_and_good_series_stay(
        tmp_path, mni_volume, cli, name):
    """A mosaic's NaN or 1e300 position was written into the NIfTI's affine as it was (numpy's
    overflow warnings on the terminal); parallel directions were nibabel's bare AssertionError."""
    import pydicom
    from mosaic_maker import write_mosaic_run
    from raw_series import set_raw

    keyword, value, reason = MOSAIC_DAMAGE[name]
    files, _, _ = write_mosaic_run(tmp_path / "study" / "run", mni_volume, n_slices=5)
    for path in files:
        ds = pydicom.dcmread(path)
        set_raw(ds, keyword, value)
        ds.save_as(path)
    write_raw_series(tmp_path / "study" / "t1")
    found = scan(tmp_path / "study")
    assert [c.shape for c in found.candidates] == [(12, 16, 5)]
    (note,) = found.notes
    assert note.startswith(f"skipped {files[0]}: Siemens mosaic cannot be placed: ")
    assert reason in note
    done = cli("convert", tmp_path / "study" / "run", tmp_path / "out.nii.gz")
    assert done.returncode == 1 and not (tmp_path / "out.nii.gz").exists()
    (line,) = done.stderr.splitlines()
    assert str(files[0]) in line and reason in line
