"""The same image twice among the cases to rank (a copy exported under another name and type) is
ranked once: both copies used to be scored (twice the model's time) and written to the worklist
CSV, so two annotators labelled one image, and the second label sent replaced the first."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_a_copy_in_the_pool_is_ranked_once_and_named(tmp_path, rng, cli):
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    affine[:3, 3] = [-11.3, 20.7, -5.1]
    voxels = rng.integers(0, 2, (12, 10, 8)).astype(np.int16)
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.Nifti1Image(voxels.astype(np.float32), affine), pool / "a_t1.nii.gz")
    nib.save(nib.MGHImage(voxels, affine), pool / "b_exported_again.mgz")   # the same image
    moved = affine.copy()
    moved[0, 3] += 2.0   # the same voxels one voxel to the side: another image
    nib.save(nib.Nifti1Image(voxels.astype(np.float32), moved), pool / "c_moved.nii.gz")
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    ranked = sorted(line.split()[1] for line in result.stdout.splitlines()[:-1])
    assert ranked == ["a_t1.nii.gz", "c_moved.nii.gz"]
    assert ("note: b_exported_again.mgz: the same image as a_t1.nii.gz (voxels and grid), not "
            "ranked") in result.stderr.splitlines()
    with open(tmp_path / "next.csv", newline="") as handle:
        assert sorted(row["id"] for row in csv.DictReader(handle)) == ranked
