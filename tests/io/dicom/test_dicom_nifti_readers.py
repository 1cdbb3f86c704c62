"""What other tools read back from the NIfTI neuroview writes of plain, oblique and gantry-tilted
DICOM series: ``neuroview convert``'s image and the label maps saved on its grid (File > Save
labels, ``neuroview segment``'s masks). nibabel (sform) and SimpleITK (ITK's NIfTI reader, as in
ANTs, ITK-SNAP and Slicer) are the readers; the truth is each slice's ImagePositionPatient.

ITK's images cannot be sheared: for a tilted series it reads the qform, which cannot hold the
shear either. Such a file has no qform (code 0), so ITK refuses it rather than placing the
voxels elsewhere (34 mm off at the far corners here, until session 20)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
import SimpleITK as sitk

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap
from neuroview.io import load
from tests.checkout import REPO

LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
TOLERANCE_MM = 0.01

SERIES = {
    "plain": dict(modality="CT", n_slices=12, slice_step=2.0),
    "oblique": dict(orientation="oblique", n_slices=12, slice_step=2.5),
    "tilted": dict(modality="CT", tilt_mm_per_slice=0.7, n_slices=12, slice_step=2.0),
    "tilted oblique": dict(modality="CT", orientation="oblique", tilt_mm_per_slice=0.5,
                           n_slices=12, slice_step=3.0),
    "tilted gantry": dict(modality="CT", orientation="gantry 15", slice_step=3.0, n_slices=12,
                          tilt_mm_per_slice=3.0 * np.tan(np.radians(15))),
}


def _sitk_ijk_to_ras(image) -> np.ndarray:
    affine = np.eye(4)
    affine[:3, :3] = np.reshape(image.GetDirection(), (3, 3)) * np.array(image.GetSpacing())
    affine[:3, 3] = image.GetOrigin()
    return LPS_TO_RAS @ affine  # ITK's world is LPS


def _truth(path: Path, series) -> np.ndarray:
    """For each voxel of the file (C order over i, j, k), its RAS position in the DICOM: the
    file's voxels are matched to the series' own by value and index (the file may store the
    slices in another order)."""
    img = nib.load(path)
    to_series = np.rint(np.linalg.inv(series.ijk_to_ras) @ img.get_sform())
    grid = np.indices(img.shape[:3]).reshape(3, -1).T.astype(float)
    index = (grid @ to_series[:3, :3].T + to_series[:3, 3]).astype(int)
    if img.get_data_dtype() == np.int16:  # the image itself: the same values there
        np.testing.assert_array_equal(np.asarray(img.dataobj)[tuple(grid.astype(int).T)],
                                      series.values[tuple(index.T)])
    return index @ series.ijk_to_ras[:3, :3].T + series.ijk_to_ras[:3, 3]


def _check_readers(path: Path, series) -> None:
    """nibabel places every voxel where the DICOM has it; SimpleITK too, or refuses the file."""
    truth = _truth(path, series)
    grid = np.indices(nib.load(path).shape[:3]).reshape(3, -1).T.astype(float)
    for reader, affine in (("nibabel", lambda: nib.load(path).affine),
                           ("SimpleITK", lambda: _sitk_ijk_to_ras(sitk.ReadImage(str(path))))):
        try:
            ijk_to_ras = affine()
        except RuntimeError as exc:
            assert reader == "SimpleITK" and "orthonormal" in str(exc), exc
            continue
        placed = grid @ ijk_to_ras[:3, :3].T + ijk_to_ras[:3, 3]
        error = np.linalg.norm(placed - truth, axis=1).max()
        assert error < TOLERANCE_MM, f"{reader} places {path.name}'s voxels up to {error:.2f} mm off"


@pytest.mark.parametrize("name", list(SERIES))
def test_other_readers_place_converted_voxels_where_the_dicom_has_them(tmp_path, make_series, name):
    series = make_series(f"readers {name}", **SERIES[name])
    output = tmp_path / "image.nii.gz"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "neuroview", "convert", str(series.folder),
                           str(output)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    _check_readers(output, series)
    header = nib.load(output).header
    sheared = "tilted" in name
    assert ("ITK (ITK-SNAP, ANTs, Slicer) refuse it; --tilt resample" in proc.stderr) == sheared
    assert (int(header["sform_code"]), int(header["qform_code"])) == (1, 0 if sheared else 1)
    if not sheared:  # ITK reads plain and oblique grids: not refused
        sitk.ReadImage(str(output))


@pytest.mark.parametrize("name", ["oblique", "tilted"])
def test_label_maps_saved_on_the_grid_read_back_in_place(tmp_path, make_series, name):
    series = make_series(f"readers {name}", **SERIES[name])
    volume = load(series.folder)
    labels = LabelMap((np.asarray(volume.array) > np.median(volume.array)).astype(np.uint8),
                      volume.ijk_to_ras)
    path = save_label_files(labels, volume.ijk_to_ras, tmp_path / "labels.nii.gz")
    _check_readers(path, series)
    assert int(nib.load(path).header["qform_code"]) == (0 if name == "tilted" else 1)


def _convert(series, output: Path, *flags: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "neuroview", "convert", str(series.folder),
                           str(output), *flags], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def _read_by_both(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The voxels and the affine, which nibabel and SimpleITK read alike (within 0.01 mm)."""
    img = nib.load(path)
    assert int(img.header["qform_code"]) == int(img.header["sform_code"]) == 1
    itk = _sitk_ijk_to_ras(sitk.ReadImage(str(path)))
    placed = [np.indices(img.shape).reshape(3, -1).T @ a[:3, :3].T + a[:3, 3] for a in (img.affine, itk)]
    assert np.abs(placed[0] - placed[1]).max() < TOLERANCE_MM
    return np.asarray(img.dataobj), img.affine


@pytest.mark.parametrize("orientation,tilt,step", [
    ("axial", 3.2, 2.0), ("axial", -6.4, 2.0), ("oblique", 3.2, 2.0),
    ("gantry 15", 3.2, 3.2 / np.tan(np.radians(15))),  # the table along the body axis only
])
def test_tilt_resample_keeps_every_acquired_voxel_in_place(tmp_path, make_series, orientation,
                                                           tilt, step):
    """Slices shifted by whole rows: the resampled grid holds every acquired voxel unchanged at
    its DICOM position, and air (-1024 HU, a CT) where no slice was acquired (the volume's
    minimum, 0 here, until session 35)."""
    series = make_series(f"tilt {orientation} {tilt}", modality="CT", orientation=orientation,
                         tilt_mm_per_slice=tilt, n_slices=10, slice_step=step)
    proc = _convert(series, tmp_path / "untilted.nii.gz", "--tilt", "resample")
    assert "written resampled onto a grid without shear" in proc.stderr
    data, affine = _read_by_both(tmp_path / "untilted.nii.gz")
    rows = abs(round(tilt / 3.2)) * 9  # 9 steps of one or two rows
    assert data.shape == (56, 64 + rows, 10)
    acquired = np.indices(series.values.shape).reshape(3, -1).T
    ras = acquired @ series.ijk_to_ras[:3, :3].T + series.ijk_to_ras[:3, 3]
    ijk = (ras - affine[:3, 3]) @ np.linalg.inv(affine[:3, :3]).T
    np.testing.assert_allclose(ijk, np.rint(ijk), atol=1e-3)
    index = tuple(np.rint(ijk).astype(int).T)
    np.testing.assert_array_equal(data[index], series.values[tuple(acquired.T)])
    rest = np.ones(data.shape, bool)
    rest[index] = False
    assert rest.sum() == 56 * rows * 10 and np.all(data[rest] == -1024)


def test_tilt_resample_interpolates_within_each_slice(tmp_path, make_series):
    """A shift of 0.7 mm per slice (rows 3.2 mm apart): each voxel of the file holds the linear
    interpolation, along the acquired slice's columns, at its position in that slice's plane."""
    series = make_series("readers tilted", **SERIES["tilted"])
    _convert(series, tmp_path / "untilted.nii", "--tilt", "resample")
    data, affine = _read_by_both(tmp_path / "untilted.nii")
    assert data.shape == (56, 67, 12)  # 11 x 0.7 mm = 2.4 rows more
    row_dir, col_dir = np.eye(3)[0], np.eye(3)[1]  # axial: LPS
    fill = -1024   # air, the series being a CT
    for k in (0, 5, 11):
        ijk = np.indices(data.shape[:2] + (1,)).reshape(3, -1).T + [0, 0, k]
        lps = (ijk @ affine[:3, :3].T + affine[:3, 3]) * [-1, -1, 1]
        offset = lps - series.positions_lps[k]
        assert np.abs(offset @ np.cross(row_dir, col_dir)).max() < 1e-3  # in slice k's plane
        columns = np.rint(offset @ row_dir / 2.9).astype(int)
        rows = offset @ col_dir / 3.2   # a row within DICOM's rounding of a whole one is it (untilt.SNAP)
        rows = np.where(np.abs(rows - np.rint(rows)) < 1e-4, np.rint(rows), rows)
        expected = [np.interp(r, np.arange(64), series.values[c, :, k], left=fill, right=fill)
                    for c, r in zip(columns, rows)]
        np.testing.assert_allclose(data[ijk[:, 0], ijk[:, 1], k], expected, atol=0.501)  # rounded to int16


def test_tilt_resample_leaves_a_grid_without_shear_as_it_is(tmp_path, make_series):
    series = make_series("readers oblique", **SERIES["oblique"])
    _convert(series, tmp_path / "kept.nii", "--tilt", "keep")
    _convert(series, tmp_path / "resampled.nii", "--tilt", "resample")
    assert (tmp_path / "kept.nii").read_bytes() == (tmp_path / "resampled.nii").read_bytes()


@pytest.mark.parametrize("maker", ["TOSHIBA", "CANON_MEC", "HITACHI", "GE MEDICAL SYSTEMS"])
def test_a_tilt_is_placed_by_the_slice_positions_not_the_gantry_tilt_tag(tmp_path, mni_volume,
                                                                         maker):
    """GantryDetectorTilt (0018,1120) is "not intended for mathematical computations" (DICOM
    PS3.3) and its sign differs between makers (dcm2niix issue 253): with either sign, the
    slices lie at their ImagePositionPatient."""
    from series_maker import SeriesSpec, write_series

    spec = dict(SERIES["tilted gantry"], n_slices=6)
    for sign in (1, -1):
        series = write_series(tmp_path / f"{sign}", mni_volume, SeriesSpec(
            **spec, extra=(("Manufacturer", maker), ("GantryDetectorTilt", f"{15 * sign}"))))
        volume = load(series.folder)
        np.testing.assert_allclose(volume.ijk_to_ras, series.ijk_to_ras, atol=1e-4)
        np.testing.assert_array_equal(volume.array, series.values)
