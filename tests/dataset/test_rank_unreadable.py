"""``dataset rank`` whose cases none can be read (a truncated NIfTI, an empty folder): one line
saying so, exit 1. It printed "no unlabelled case to rank" and exited 0, as if every case had been
labelled already (the window's Rank dialog: "No unlabelled case to rank")."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset

CLI_FORKED = ("what `dataset rank` says and writes, scoring with tests.dataset.fake_model "
              "(numpy) or naming a model it never runs, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_no_case_readable_is_an_error_not_all_labelled(tmp_path, cli):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    pool = tmp_path / "pool"
    pool.mkdir()
    whole = tmp_path / "whole.nii.gz"
    nib.save(nib.Nifti1Image(np.arange(8000, dtype=np.float32).reshape(20, 20, 20), np.eye(4)), whole)
    (pool / "cut.nii.gz").write_bytes(whole.read_bytes()[:300])
    (pool / "empty").mkdir()
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities")
    assert result.returncode == 1
    assert "no unlabelled case to rank" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("neuroview")]
    assert len(errors) == 1 and "none of its 2 cases could be read" in errors[0]
    assert "cut.nii.gz" in result.stderr and "empty" in result.stderr   # the notes say which

    nib.save(nib.load(whole), pool / "good.nii.gz")   # one readable case: it is ranked
    result = cli("dataset", "rank", folder, "--cases", pool, "--model",
                 "tests.dataset.fake_model:probabilities")
    assert result.returncode == 0, result.stderr
    assert "good.nii.gz" in result.stdout
