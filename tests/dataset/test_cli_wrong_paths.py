"""Paths a user mistypes or mixes up on the dataset command line: each is one line naming the path
and what it is, with a non-zero exit. A NIfTI image given to ``dataset rank --cases`` was read as
a CSV (``cannot read the worklist ('utf-8' codec can't decode byte 0x8b ...)``), and a text file
named ``.nii.gz`` had its words ranked as case paths; a dataset folder that does not exist was
``no dataset here`` (``dataset list``, ``rank``) or ``no dataset.json`` (``train``), as if the
folder were there and empty."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.layout import find_dataset, init_dataset
from neuroview.dataset.worklist import Worklist

CLI_FORKED = ("the one line `dataset rank`, `list` and `train` say about a missing path, "
              "before any model, not a process's start")
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


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


def test_a_dataset_folder_that_does_not_exist_is_said_so(tmp_path, cli):
    missing = tmp_path / "nnUNet_raw_typo"
    for args in (("dataset", "list", missing),
                 ("dataset", "rank", missing, "--cases", tmp_path),
                 ("train", "--dataset", missing, "--out", "x", "--epochs", "1")):
        line = _one_line_error(cli(*args))
        assert line == (f"neuroview: error: {missing}: no such folder (create one with "
                        "'neuroview dataset init DIR --name NAME --labels ...')"), (args, line)
    with pytest.raises(DatasetError, match="no such folder"):
        find_dataset(missing)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no dataset here" in _one_line_error(cli("dataset", "list", empty))   # as before


def test_models_compare_with_a_wrong_dataset_prints_no_card_before_its_error(tmp_path, cli):
    """``models compare A B --dataset DIR`` printed both cards' figures on stdout, then stopped at
    DIR's error (a typo, or a folder of two datasets): a script got half a result to parse."""
    init_dataset(tmp_path / "two", "Lesions", ["background", "lesion"])
    init_dataset(tmp_path / "two", "Edema", ["background", "edema"])
    for folder, said in ((tmp_path / "nnUNet_raw_typo", "no such folder"),
                         (tmp_path / "two", "holds 2 datasets")):
        result = cli("models", "compare", "lesionseg", "lesionseg", "--dataset", folder)
        assert said in _one_line_error(result) and result.stdout == "", result.stdout
