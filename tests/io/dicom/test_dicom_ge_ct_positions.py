"""Real GE LightSpeed Ultra CT slices from pydicom's DICOMDIR test study (98892001/CT5N, 5 axial
slices 2.5 mm apart, AcquisitionNumber 1, 1, 1, 2, 2), moved along z, against dcm2niix.

Two step sizes, as many of one as of the other (2.5, 2.5, 3.5, 3.5 mm; or 3 slices, 2.5 then
3.5 mm): the median step (3 mm) is none of them. The step was the mean of no steps, NaN: the
volume's ijk_to_ras held NaN in its last row (resampling set the third column again, not the
NaN under it) and the window crashed (segmentation fault) on opening it; ``convert`` wrote a
good file, nibabel keeping only the top three rows.

Two acquisitions overlapping by a slice (acquisition 2 repeats the last position of 1 and holds
one more): 'internal error: ValueError: no time point holds this position' from info, convert
and the window, for the whole folder.
"""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
import pytest
from ge_ct import ct5n_files
from series_maker import run_dcm2niix

from neuroview.io import scan


def _written(folder, z_positions, orientation=None):
    folder.mkdir()
    for path, z in zip(ct5n_files(), z_positions):  # the first len(z_positions) files
        ds = pydicom.dcmread(path)
        ds.ImagePositionPatient = [*ds.ImagePositionPatient[:2], z]
        if orientation is not None:
            ds.ImageOrientationPatient = orientation
        ds.save_as(folder / path.name)
    return folder


def _canonical(array, affine):
    image = nib.as_closest_canonical(nib.Nifti1Image(np.asarray(array, np.float64), affine))
    return np.asarray(image.dataobj), image.affine


@pytest.mark.parametrize("z_positions", [(8.7625, 6.2625, 3.7625, 0.2625, -3.2375),
                                         (8.7625, 6.2625, 2.7625)])
def test_two_step_sizes_in_equal_numbers_resample_like_dcm2niix(tmp_path, z_positions):
    folder = _written(tmp_path / "in", z_positions)
    (candidate,) = scan(folder).candidates
    volume = candidate.load()
    assert np.isfinite(volume.ijk_to_ras).all(), volume.ijk_to_ras
    np.testing.assert_array_equal(volume.ijk_to_ras[3], [0, 0, 0, 1])
    assert any(w.startswith("uneven slice spacing (steps 2.5 to 3.5 mm)") for w in volume.warnings)
    # dcm2niix writes the slices as acquired and, beside them, '_Eq_1': on an even grid
    (equalized,) = [p for p in run_dcm2niix(folder, tmp_path / "out") if "_Eq_" in p.name]
    reference = nib.load(equalized)
    ours, our_affine = _canonical(volume.array, volume.ijk_to_ras)
    theirs, their_affine = _canonical(reference.get_fdata(), reference.affine)
    np.testing.assert_allclose(our_affine, their_affine, atol=1e-3)
    np.testing.assert_allclose(ours, theirs, atol=1.0)  # linear interpolation, rounded by dcm2niix


@pytest.mark.parametrize("z_positions, told_by", [
    ((0.0, 3.5, 7.0, 7.0, 10.5), "AcquisitionNumber"),     # acquisition 2 from the 3rd position
    ((0.0, 3.5, 3.5, 6.0, 13.5), "InstanceNumber")])        # two of acquisition 1 at one position
def test_acquisitions_overlapping_by_a_slice_make_one_volume_like_dcm2niix(tmp_path, z_positions,
                                                                          told_by):
    folder = _written(tmp_path / "in", z_positions)
    (candidate,) = scan(folder).candidates
    volume = candidate.load()
    assert volume.array.ndim == 3
    # a CT's acquisitions, not a 4D run's time points
    said = [w for w in volume.warnings if f"told apart by {told_by}" in w]
    kept, source = (1, 2) if told_by == "AcquisitionNumber" else (2, 1)
    assert said == [f"2 acquisitions overlap (told apart by {told_by}): one volume of 4 positions "
                    f"from acquisition {kept}, slice {4 if kept == 1 else 1} from acquisition "
                    f"{source} (axial view); left out: 1 image repeating a position of acquisition "
                    f"{kept}"], volume.warnings
    assert not any("time point" in w for w in volume.warnings), volume.warnings
    (equalized,) = [p for p in run_dcm2niix(folder, tmp_path / "out") if "_Eq_" in p.name]
    reference = nib.load(equalized)
    ours, our_affine = _canonical(volume.array, volume.ijk_to_ras)
    theirs, their_affine = _canonical(reference.get_fdata(), reference.affine)
    np.testing.assert_allclose(our_affine, their_affine, atol=1e-3)
    if told_by == "AcquisitionNumber":  # the same slice kept at the repeated position
        np.testing.assert_array_equal(ours, theirs)


def test_overlap_note_numbers_the_slice_as_the_axial_view(tmp_path):
    """Columns running down the patient (ImageOrientationPatient 1\\0\\0\\0\\-1\\0): the slices
    stack from the top, and the slice acquisition 2 gives (the top one, 10.5 mm) is the axial
    view's 4 of 4, counted from the feet as the corner shows it; the note said "slice 1" (the
    array's first) until session 46."""
    folder = _written(tmp_path / "in", (0.0, 3.5, 7.0, 7.0, 10.5), [1, 0, 0, 0, -1, 0])
    volume = scan(folder).candidates[0].load()
    assert volume.ijk_to_ras[2, 2] < 0   # the array runs towards the feet
    said = [w for w in volume.warnings if "acquisitions overlap" in w]
    assert said == ["2 acquisitions overlap (told apart by AcquisitionNumber): one volume of 4 "
                    "positions from acquisition 1, slice 4 from acquisition 2 (axial view); left "
                    "out: 1 image repeating a position of acquisition 1"], volume.warnings
    assert volume.ijk_to_ras[2, 3] == pytest.approx(10.5)   # the array's first slice: the top one
    (top,) = [ds for ds in map(pydicom.dcmread, folder.iterdir()) if ds.ImagePositionPatient[2] == 10.5]
    assert top.AcquisitionNumber == 2   # the slice taken from acquisition 2, as read from its file
    hounsfield = top.pixel_array * float(top.RescaleSlope) + float(top.RescaleIntercept)
    np.testing.assert_array_equal(volume.array[:, :, 0], hounsfield.T)
