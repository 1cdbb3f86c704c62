"""A training set's ``dataset.json`` ``file_ending`` is globbed in ``labelsTr`` and joined to each
case's name in ``imagesTr``: ``/../../../outside/x.nii.gz``, with two empty folders planted in
``labelsTr`` and one in ``imagesTr``, made ``neuroview train`` read a file outside the dataset as
two cases' image and mask (session 41), as a planted symbolic link would (which ``dataset add``
refuses). A file ending is now one like ``.nii.gz``; 5, a list or nothing were 'found 0 cases' or
'case  lacks _0000'."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from neuroview.ai.finetune import read_dataset
from neuroview.core.errors import DatasetError
from tests.ui.train_data import make_raw_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_raw_dataset(tmp_path_factory.mktemp("raw"), np.random.default_rng(0))


def _with_ending(tmp_path, dataset, ending, count=6):
    root = tmp_path / "Dataset002_Given"
    shutil.copytree(dataset, root)
    meta = json.loads((root / "dataset.json").read_text())
    meta.update(file_ending=ending, numTraining=count)
    (root / "dataset.json").write_text(json.dumps(meta))
    return root


def test_a_file_ending_leading_out_of_the_dataset_is_refused(tmp_path, dataset):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(dataset / "labelsTr" / "c0.nii.gz", outside / "x.nii.gz")
    root = _with_ending(tmp_path, dataset, "/../../../outside/x.nii.gz", count=2)
    for planted in ("labelsTr/a", "labelsTr/b", "imagesTr/_0000"):
        (root / planted).mkdir()
    with pytest.raises(DatasetError) as caught:
        read_dataset(root)
    assert str(caught.value) == (f"{root / 'dataset.json'}: dataset.json's file_ending "
                                 "'/../../../outside/x.nii.gz' is not a file ending such as '.nii.gz'")


@pytest.mark.parametrize("ending, shown", [(5, "'5'"), ([".nii.gz"], "\"['.nii.gz']\""), ("", "''"),
                                           ("nii.gz", "'nii.gz'")])
def test_a_file_ending_of_the_wrong_kind_is_named(tmp_path, dataset, ending, shown):
    root = _with_ending(tmp_path, dataset, ending)
    with pytest.raises(DatasetError) as caught:
        read_dataset(root)
    assert str(caught.value) == (f"{root / 'dataset.json'}: dataset.json's file_ending {shown} is "
                                 "not a file ending such as '.nii.gz'")


def test_the_usual_file_ending_still_reads(tmp_path, dataset):
    assert [case.name for case in read_dataset(_with_ending(tmp_path, dataset, ".nii.gz")).cases] == \
        [f"c{number}" for number in range(6)]
