"""A gantry-tilted CT is listed with the slice spacing the scanner and dcm2niix state (the distance
between the slice planes: 5 mm), not the sheared step between slice centres (5.18 mm at 15
degrees), named an axial series with a gantry tilt of 15 degrees (not "LPS (oblique)"), while it
still loads on the sheared grid (every voxel where its DICOM puts it)."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest
from series_maker import run_dcm2niix

from neuroview.io import load, scan
from neuroview.io.nifti import save_nifti

TILTED = {
    # the table along the body axis, the image plane tilted 15 degrees (as scanners write it)
    "5 mm": dict(modality="CT", orientation="gantry 15", slice_step=5.0, n_slices=12,
                 tilt_mm_per_slice=5.0 * np.tan(np.radians(15)), description="tilted head"),
    "3 mm": dict(modality="CT", orientation="gantry 15", slice_step=3.0, n_slices=12,
                 tilt_mm_per_slice=3.0 * np.tan(np.radians(15)), description="tilted head"),
}


@pytest.mark.parametrize("name", list(TILTED))
def test_tilted_series_is_listed_with_the_spacing_dcm2niix_states(make_series, tmp_path, name):
    series = make_series(f"tilt spacing {name}", **TILTED[name])
    candidate = scan(series.folder).candidates[0]
    dcm2niix = run_dcm2niix(series.folder, tmp_path / "dcm2niix")
    zooms = nib.load(dcm2niix[0]).header.get_zooms()[:3]
    np.testing.assert_allclose(candidate.spacing, zooms, atol=1e-3)
    step = TILTED[name]["slice_step"]
    assert candidate.spacing[2] == pytest.approx(step, abs=1e-3)
    # as an axial series tilted 15 degrees (it said "LPS (oblique)", an oblique reformat's words)
    assert f"| 2.9x3.2x{step:g} mm | LPS (axial, gantry tilt 15°)" in candidate.describe()
    tilt = next(w for w in candidate.warnings if w.startswith("gantry tilt"))
    assert tilt.startswith(f"gantry tilt of 15.00 degrees: slices {step:g} mm apart")
    # the geometry is the sheared grid as acquired: the step between slice centres stays
    volume = candidate.load()
    np.testing.assert_allclose(volume.ijk_to_ras, series.ijk_to_ras, atol=1e-4)
    assert np.linalg.norm(volume.ijk_to_ras[:3, 2]) == pytest.approx(step / np.cos(np.radians(15)))


def test_tilted_nifti_is_listed_with_the_distance_between_its_slices(make_series, tmp_path):
    """The sheared NIfTI ``convert`` writes of a tilted series lists as its DICOM does."""
    series = make_series("tilt spacing 5 mm", **TILTED["5 mm"])
    path = tmp_path / "tilted.nii.gz"
    save_nifti(series.values.astype(np.int16), series.ijk_to_ras, path)
    candidate = scan(path).candidates[0]
    np.testing.assert_allclose(candidate.spacing, (2.9, 3.2, 5.0), atol=1e-3)
    assert candidate.orientation == "LPS (axial, gantry tilt 15°)"
    np.testing.assert_allclose(load(path).ijk_to_ras, series.ijk_to_ras, atol=1e-4)
