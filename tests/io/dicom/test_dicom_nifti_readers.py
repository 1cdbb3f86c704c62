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

REPO = Path(__file__).resolve().parents[3]
LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])
TOLERANCE_MM = 0.01

SERIES = {
    "plain": dict(modality="CT", n_slices=12, slice_step=2.0),
    "oblique": dict(orientation="oblique", n_slices=12, slice_step=2.5),
    "tilted": dict(modality="CT", tilt_mm_per_slice=0.7, n_slices=12, slice_step=2.0),
    "tilted oblique": dict(modality="CT", orientation="oblique", tilt_mm_per_slice=0.5,
                           n_slices=12, slice_step=3.0),
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
