"""Paths a user mistypes or mixes up on the dataset command line: each is one line naming the path
and what it is, with a non-zero exit. A NIfTI image given to ``dataset rank --cases`` was read as
a CSV (``cannot read the worklist ('utf-8' codec can't decode byte 0x8b ...)``), and a text file
named ``.nii.gz`` had its words ranked as case paths."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist


def _one_line_error(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_an_image_given_as_the_cases_is_refused_naming_it(tmp_path, cli):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    image = tmp_path / "case1_t1.nii.gz"
    nib.save(nib.Nifti1Image(np.ones((6, 5, 4), np.float32), np.eye(4)), image)
    text = tmp_path / "notes.nii.gz"
    text.write_text("hello\n")

    for path in (image, text):
        line = _one_line_error(cli("dataset", "rank", folder, "--cases", path,
                                   "--model", "tests.dataset.fake_model:probabilities",
                                   "--output", tmp_path / "next.csv"))
        assert line.startswith(f"neuroview: error: {path}: is an image file, not a worklist"), line
        assert "folder" in line and "CSV" in line
    assert not (tmp_path / "next.csv").exists()
    with pytest.raises(DatasetError, match="is an image file, not a worklist"):
        Worklist.open(image)            # the window's Open worklist CSV... as well
