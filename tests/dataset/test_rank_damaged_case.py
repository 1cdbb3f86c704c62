"""A damaged file among the cases to rank is left out with one line naming it, and the others are
ranked: it stopped the whole ranking (after the model's time on every case before it), and no
worklist CSV was written."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_a_damaged_case_is_skipped_and_named(tmp_path, rng, cli):
    pool = tmp_path / "pool"
    pool.mkdir()
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    for name in ("a_t1.nii.gz", "c_t1.nii.gz"):
        nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                                 affine), pool / name)
    (pool / "b_copy_cut_short.nii").write_bytes(b"junk")
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if "b_copy_cut_short.nii" in line]
    assert len(skipped) == 1 and skipped[0].startswith(f"note: {pool / 'b_copy_cut_short.nii'}: ")
    assert skipped[0].endswith(", not ranked")
    with open(tmp_path / "next.csv", newline="") as handle:
        assert sorted(row["id"] for row in csv.DictReader(handle)) == ["a_t1.nii.gz", "c_t1.nii.gz"]
