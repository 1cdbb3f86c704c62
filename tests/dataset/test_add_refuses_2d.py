"""``dataset add`` and ``dataset rank`` refuse a single 2D slice (64x64x1) as ``segment`` does:
``add`` stored it as a training case (which nnU-Net's 3D plans then failed on, far from the
file), and ``rank`` scored it among the 3D cases."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset, read_dataset

CLI_FORKED = ("what `dataset add` and `rank` say, rank scoring with tests.dataset.fake_model "
              "(numpy), not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _slice_and_mask(tmp_path):
    image = tmp_path / "slice.nii.gz"
    nib.save(nib.Nifti1Image(np.random.default_rng(1).random((64, 64, 1)).astype(np.float32),
                             np.eye(4)), image)
    mask = tmp_path / "slice_mask.nii.gz"
    labels = np.zeros((64, 64, 1), np.uint8)
    labels[20:30, 20:30] = 1
    nib.save(nib.Nifti1Image(labels, np.eye(4)), mask)
    return image, mask


def test_add_refuses_a_single_slice_and_writes_nothing(tmp_path, cli):
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    image, mask = _slice_and_mask(tmp_path)

    result = cli("dataset", "add", folder, "--image", image, "--labels", mask)

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert "slice.nii.gz" in errors[0] and "a single 2D slice (64 x 64 voxels)" in errors[0]
    assert read_dataset(folder).num_training == 0
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_rank_leaves_a_single_slice_out_in_a_note(tmp_path, cli):
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    pool = tmp_path / "pool"
    pool.mkdir()
    _slice_and_mask(pool)
    (pool / "slice_mask.nii.gz").unlink()
    nib.save(nib.Nifti1Image(np.random.default_rng(2).random((12, 10, 8)).astype(np.float32),
                             np.eye(4)), pool / "head.nii.gz")

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "slice.nii.gz" in line]
    assert line.startswith(f"note: {pool / 'slice.nii.gz'}: a single 2D slice")
    assert line.endswith(", not ranked")
    with open(tmp_path / "next.csv", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["head.nii.gz"]
