"""``dataset rank`` leaves out a case an annotator marked done (*File > Mark done*: checked, nothing
to label): it is still ``new``, so it was ranked, written to the CSV and offered again by the
ranking's *Next case*."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist


def test_a_case_marked_done_is_not_ranked(tmp_path, rng, cli):
    pool = tmp_path / "pool"
    pool.mkdir()
    affine = np.diag([2.0, 2.0, 3.0, 1.0])
    for name in ("a_t1.nii.gz", "b_t1.nii.gz", "c_t1.nii.gz"):
        nib.save(nib.Nifti1Image((0.5 + 0.1 * rng.uniform(-1, 1, (12, 10, 8))).astype(np.float32),
                                 affine), pool / name)
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    Worklist.open(pool, user="dr.b").mark_done("b_t1.nii.gz")

    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities", "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    assert "b_t1.nii.gz: marked done in the worklist, not ranked" in result.stderr
    with open(tmp_path / "next.csv", newline="") as handle:
        assert sorted(row["id"] for row in csv.DictReader(handle)) == ["a_t1.nii.gz", "c_t1.nii.gz"]
    Worklist.open(pool, user="dr.b").mark_done("b_t1.nii.gz", done=False)   # taken back: ranked
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities")
    assert "b_t1.nii.gz" in result.stdout, result.stderr
