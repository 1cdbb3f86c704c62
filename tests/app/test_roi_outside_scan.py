"""A rectangle's statistics leave out the voxels outside a CT's scanned field of view (the padding
its file names, or neuroview finds in a NIfTI, read as air) and say how many: a rectangle over a
head CT's corner gave a mean of -1024 HU, as if the scanner had measured air there."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402
from whole_slice import whole_slice  # noqa: E402

from neuroview.io import load  # noqa: E402


def _check(volume, hu: np.ndarray) -> None:
    box = whole_slice(volume, 1)
    scanned = hu[:, :, 1][np.isfinite(hu[:, :, 1])]
    outside = hu[:, :, 1].size - scanned.size
    assert outside > 200 and np.all(volume.array[:, :, 1][np.isnan(hu[:, :, 1])] == -1024)
    assert box.voxels == scanned.size and box.outside_scan == outside
    assert abs(box.mean - scanned.mean()) < 1e-6 and box.minimum == scanned.min()
    assert box.lines()[-1] == f"{outside} voxels outside the scanned field left out"


def test_a_dicom_ct_rectangle_leaves_its_padding_out(tmp_path):
    for unsigned in (False, True):   # the padding replaced as stored integers, and as NaN floats
        written = write_ct(tmp_path / f"ct{unsigned}", unsigned=unsigned, slope=1.0 if unsigned else 0.5,
                           padding=-2000 if not unsigned else 0, fov_mm=80.0)
        _check(load(written.folder), written.hu)


def test_a_nifti_ct_rectangle_leaves_its_padding_out(tmp_path):
    written = write_ct(tmp_path / "ct", fov_mm=80.0)
    hu = np.where(np.isnan(written.hu), -3024, written.hu).astype(np.int16)   # dcm2niix's NIfTI
    path = tmp_path / "ct.nii.gz"
    nib.save(nib.Nifti1Image(hu, np.diag([4.0, 4.0, 5.0, 1.0])), path)
    _check(load(path), written.hu)


def test_an_mr_rectangle_counts_every_voxel(tmp_path):
    image = np.full((16, 16, 3), 7, np.int16)
    nib.save(nib.Nifti1Image(image, np.eye(4)), tmp_path / "mr.nii.gz")
    box = whole_slice(load(tmp_path / "mr.nii.gz"), 1)
    assert box.voxels == 256 and box.outside_scan == 0 and len(box.lines()) == 3
