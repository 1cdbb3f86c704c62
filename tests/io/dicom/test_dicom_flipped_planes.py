"""Series whose rows or columns run the other way in their plane (rows from the patient's left to
right, columns upwards or from front to back: the slice normal then points the other way too),
classic and in the Siemens XA one-volume-per-file layout, against the written truth and dcm2niix;
and an oblique orientation written to 4 decimals, whose slices stay where their files put them
(``bench/dicom_vendor_series.py`` runs these and 60 other vendor conventions against dcm2niix)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.uid import generate_uid
from series_maker import DCM2NIIX, check_4d_against_dcm2niix, compare_in_world, run_dcm2niix

from neuroview.io import scan

needs_dcm2niix = pytest.mark.skipif(not os.path.exists(DCM2NIIX), reason="dcm2niix not installed")
FLIPPED = ("axial flipped", "coronal flipped", "sagittal flipped")


@pytest.mark.parametrize("orientation", FLIPPED)
def test_a_classic_series_flipped_in_plane_lies_where_it_was_written(make_series, tmp_path,
                                                                     orientation):
    import nibabel as nib

    series = make_series(f"flipped-{orientation}", orientation=orientation, rows=16, cols=14,
                         n_slices=6)
    (candidate,) = scan(series.folder).candidates
    volume = candidate.load()
    compare_in_world(volume.array, volume.ijk_to_ras, series.values, series.ijk_to_ras)
    if os.path.exists(DCM2NIIX):
        (output,) = run_dcm2niix(series.folder, tmp_path / "out")
        reference = nib.load(output)
        compare_in_world(volume.array, volume.ijk_to_ras, np.asarray(reference.dataobj),
                         reference.affine)


@needs_dcm2niix
def test_an_xa_run_flipped_in_plane_is_dcm2niixs_4d_series(tmp_path, mni_volume):
    uids = dict(series_uid=generate_uid(), study_uid=generate_uid(), frame_uid=generate_uid())
    truth = []
    for t in range(3):
        written = write_enhanced(tmp_path / "in" / f"{t}.dcm", mni_volume, EnhancedSpec(
            **uids, rows=12, cols=10, n_slices=5, orientation="sagittal flipped",
            orientation_per_frame=True, temporal_index=t + 1, instance=t + 1,
            acquisition_time=f"1010{10 + 2 * t}.00", value_scale=1.0 - 0.1 * t))
        truth.append((written.values, written.ijk_to_ras))
    check_4d_against_dcm2niix(tmp_path / "in", tmp_path / "out", truth)


def test_slices_of_an_orientation_written_to_4_decimals_lie_at_their_positions(make_series):
    """GE writes ImageOrientationPatient to 4 decimals: row and column then miss unit length
    and a right angle by up to 5e-5. Each slice centre is its file's ImagePositionPatient (the
    slice axis runs through the positions; dcm2niix takes row x column, normalised, and puts
    the 10th slice 0.001 mm off its position)."""
    import pydicom

    series = make_series("iop-4-decimals", orientation="oblique", rows=16, cols=14, n_slices=10)
    folder = series.folder.with_name("iop-4-decimals-rounded")
    folder.mkdir()
    for path in series.files:
        ds = pydicom.dcmread(path)
        ds.ImageOrientationPatient = [f"{float(x):.4f}" for x in ds.ImageOrientationPatient]
        ds.save_as(folder / path.name)
    (candidate,) = scan(folder).candidates
    volume = candidate.load()
    corners_lps = np.array([pydicom.dcmread(p).ImagePositionPatient for p in series.files], float)
    centres = volume.ijk_to_ras @ np.array([[0, 0, k, 1] for k in range(10)], float).T
    found = np.diag([-1.0, -1.0, 1.0]) @ centres[:3]          # RAS -> LPS
    gap = np.abs(found.T[:, None, :] - corners_lps[None, :, :]).max(axis=2).min(axis=1)
    assert gap.max() < 1e-5, gap
