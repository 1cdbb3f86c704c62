"""``dataset init`` in a folder that already holds the dataset (a second annotator, a script run
twice, *Create a new dataset in this folder* ticked again) refuses, naming the dataset there: it
made ``Dataset502_Lesions`` beside ``Dataset501_Lesions`` without a word, the cases were then split
between two datasets of one name, and every verb given the folder stopped with ``holds 2 datasets;
name one``. An ``--id`` another dataset there has is refused too: nnU-Net finds a dataset by its
id, and two of one id stop ``nnUNetv2_plan_and_preprocess``."""

from __future__ import annotations

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.layout import find_dataset, init_dataset

CLI_FORKED = "what `dataset init` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_init_again_in_a_folder_holding_the_dataset_is_refused(tmp_path, cli):
    first = cli("dataset", "init", tmp_path, "--name", "Lesions", "--labels", "background,lesion")
    assert first.returncode == 0, first.stderr

    again = cli("dataset", "init", tmp_path, "--name", "Lesions", "--labels", "background,lesion")

    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path}: already holds the dataset Lesions (Dataset501_Lesions); "
        "add cases to it, or choose another name"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dataset501_Lesions"]
    assert find_dataset(tmp_path).name == "Dataset501_Lesions"   # the folder still names it


def test_an_id_taken_by_another_dataset_is_refused(tmp_path):
    init_dataset(tmp_path, "Lesions", ["background", "lesion"], dataset_id=501)
    with pytest.raises(DatasetError, match="id 501 is taken by Dataset501_Lesions"):
        init_dataset(tmp_path, "Tumours", ["background", "tumour"], dataset_id=501)
    made = init_dataset(tmp_path, "Tumours", ["background", "tumour"])    # the next free id
    assert made.name == "Dataset502_Tumours"


def test_a_refused_init_leaves_no_folder_and_the_next_takes_its_number(tmp_path, cli):
    """Labels refused (a name twice) left an empty ``Dataset501_L`` (its three folders, no
    dataset.json) until session 40, and the corrected command made ``Dataset502_L`` beside it."""
    refused = cli("dataset", "init", tmp_path, "--name", "L", "--labels", "background,lesion,lesion")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "neuroview: error: label names repeat: background, lesion, lesion"]
    assert list(tmp_path.iterdir()) == []
    made = cli("dataset", "init", tmp_path, "--name", "L", "--labels", "background,lesion")
    assert made.returncode == 0 and made.stdout.strip() == str(tmp_path / "Dataset501_L")
