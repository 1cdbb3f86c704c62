"""``dataset add --if-present refuse`` of an image the dataset holds: one line whose hint names
the option to use, not the Python keyword beside it (it ended ``(--if-present replace
(same_image='replace'))``)."""

from __future__ import annotations

import nibabel as nib
import numpy as np

from neuroview.dataset.layout import init_dataset

CLI_FORKED = "what `dataset add` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_refused_image_names_the_option_only(tmp_path, cli):
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    nib.save(nib.Nifti1Image(np.random.default_rng(0).random((16, 16, 12)).astype(np.float32), affine),
             tmp_path / "t1.nii.gz")
    labels = np.zeros((16, 16, 12), np.uint8)
    labels[4:8, 4:8, 4:8] = 1
    nib.save(nib.Nifti1Image(labels, affine), tmp_path / "mask.nii.gz")
    add = ("dataset", "add", folder, "--image", tmp_path / "t1.nii.gz", "--labels", tmp_path / "mask.nii.gz")
    assert cli(*add).returncode == 0
    refused = cli(*add, "--if-present", "refuse")
    lines = refused.stderr.strip().splitlines()
    assert refused.returncode == 1 and len(lines) == 1
    assert lines[0].endswith("(to give that case this label instead, add it with --if-present replace)")
    assert "same_image" not in lines[0]
