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
from neuroview.io.modality_guess import CT_FROM_VALUES, SAMPLED_SLICES, guessed_modality, sampled_slices  # noqa: E402
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


@pytest.mark.parametrize("name, dtype", [("T1.mgz", np.uint8), ("t1.nii.gz", np.uint16)])
def test_an_unsigned_mr_is_judged_by_its_header(tmp_path, voxels_read, name, dtype):
    """An unscaled uint8/uint16 image has no value below 0: no air, no fat, never a CT. Its
    header says so; until session 41 half of the file was inflated to find it out."""
    head = head_hu(SHAPE[0], SHAPE[2], 3.0)
    mr = np.clip(head + 200, 0, np.iinfo(dtype).max).astype(dtype)   # a head's shape, MR-like values
    kind = nib.MGHImage if name.endswith(".mgz") else nib.Nifti1Image
    nib.save(kind(mr, np.diag([3, 3, 2, 1.0])), tmp_path / name)
    assert guessed_modality(scan(tmp_path / name).candidates[0]) == ""
    assert voxels_read[0] == 0


@pytest.mark.parametrize("name", ["ct.mgz", "ct.nii.gz"])
def test_the_slices_read_through_isal_are_nibabels(tmp_path, name):
    """The compressed file's slices, read from ISA-L's stream, are the values and order nibabel's
    own proxy gives for the same slicing (big-endian MGH, the header's scaling)."""
    image = (head_hu(SHAPE[0], SHAPE[2], 3.0) + 1024).astype(np.int16)
    kind = nib.MGHImage if name.endswith(".mgz") else nib.Nifti1Image
    saved = kind(image, np.diag([3, 3, 2, 1.0]))
    if kind is nib.Nifti1Image:
        saved.header.set_slope_inter(1.0, -1024.0)
    nib.save(saved, tmp_path / name)
    end = SHAPE[2] // 2 + 1
    step = int(np.ceil(end / SAMPLED_SLICES))
    expected = np.asanyarray(nib.load(tmp_path / name).dataobj[:, :, end - 1::-step])
    got = sampled_slices(tmp_path / name)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)
    assert guessed_modality(scan(tmp_path / name).candidates[0]) == (CT_FROM_VALUES if "nii" in name else "")


def test_a_damaged_stream_is_listed_by_its_header(tmp_path):
    """Bytes zeroed inside a .nii.gz's deflate stream: ISA-L's own error (no OSError, no
    zlib.error) is no guess, and ``info`` lists the file (it raised out of the guess)."""
    from neuroview.cli.main import main

    path = tmp_path / "damaged.nii.gz"
    nib.save(nib.Nifti1Image(head_hu(SHAPE[0], SHAPE[2], 3.0).astype(np.int16),
                             np.diag([3, 3, 2, 1.0])), path)
    candidate = scan(path).candidates[0]
    whole = path.read_bytes()
    answers = set()
    for at in range(3000, 12000, 97):   # (8 of these raised ISA-L's error out of the guess)
        path.write_bytes(whole[:at] + bytes(50) + whole[at + 50:])
        answers.add(guessed_modality(candidate))
    assert answers <= {"", CT_FROM_VALUES}
    assert main(["info", str(path)]) in (0, 1)
