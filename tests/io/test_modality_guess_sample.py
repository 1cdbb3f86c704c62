"""The series chooser (and ``info``) tells a CT NIfTI by its values from a few of its slices,
read through nibabel's array proxy: it read the whole file for it (up to 512 MiB, 0.9 s of CPU
for a 512x512x400 .nii.gz) before the chooser appeared. Any full read fails here."""

from __future__ import annotations

import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest
from nibabel.arrayproxy import ArrayProxy

sys.path.insert(0, str(Path(__file__).resolve().parent / "dicom"))

from ct_maker import head_hu  # noqa: E402

from neuroview.io import nifti  # noqa: E402
from neuroview.io.modality_guess import CT_FROM_VALUES, guessed_modality  # noqa: E402
from neuroview.io.registry import scan  # noqa: E402

SHAPE = (64, 64, 120)


@pytest.fixture
def voxels_read(monkeypatch):
    """Voxels read through nibabel's proxy, which is all the guess may read: a whole read
    (neuroview's loader, or the proxy made an array) fails the test."""
    count = [0]
    getitem = ArrayProxy.__getitem__

    def counted(self, slicer):
        out = getitem(self, slicer)
        count[0] += int(np.asarray(out).size)
        return out

    def whole(*args, **kwargs):
        raise AssertionError("the whole image was read to guess its modality")

    monkeypatch.setattr(ArrayProxy, "__getitem__", counted)
    monkeypatch.setattr(ArrayProxy, "__array__", whole)
    monkeypatch.setattr(nifti, "read_voxels", whole)
    return count


@pytest.mark.parametrize("name", ["ct.nii.gz", "ct.nii"])
def test_a_ct_nifti_is_named_from_a_few_slices(tmp_path, voxels_read, name):
    path = tmp_path / name
    nib.save(nib.Nifti1Image(head_hu(SHAPE[0], SHAPE[2], 3.0).astype(np.int16),
                             np.diag([3, 3, 2, 1.0])), path)
    assert guessed_modality(scan(path).candidates[0]) == CT_FROM_VALUES
    assert 0 < voxels_read[0] <= 0.15 * np.prod(SHAPE)    # 16 slices of 120


def test_scaled_values_are_read_as_the_header_scales_them(tmp_path, voxels_read):
    # stored 0..3000 with scl_inter -1024: HU only after the header's scaling
    image = nib.Nifti1Image((head_hu(SHAPE[0], SHAPE[2], 3.0) + 1024).astype(np.uint16),
                            np.diag([3, 3, 2, 1.0]))
    image.header.set_slope_inter(1.0, -1024.0)
    nib.save(image, tmp_path / "scaled.nii.gz")
    assert guessed_modality(scan(tmp_path / "scaled.nii.gz").candidates[0]) == CT_FROM_VALUES


def test_an_mr_nifti_is_still_not_named(tmp_path, voxels_read):
    mr = np.random.default_rng(0).uniform(0, 900, SHAPE).astype(np.float32)
    nib.save(nib.Nifti1Image(mr, np.diag([3, 3, 2, 1.0])), tmp_path / "t1.nii.gz")
    assert guessed_modality(scan(tmp_path / "t1.nii.gz").candidates[0]) == ""
