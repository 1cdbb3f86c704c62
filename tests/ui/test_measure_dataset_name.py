"""AI > Models... > *Measure on a dataset...* given the folder that holds the dataset (the one Send
to training set was given) said "Measured A and B on raw split ...", the chosen folder's name: it
names the dataset measured on, ``Dataset001_Blobs``, as ``models compare --dataset`` does."""

from __future__ import annotations

import pytest
from train_data import install, make_raw_dataset

pytest.importorskip("torch")


def test_measuring_on_the_folder_holding_a_dataset_names_the_dataset(qtbot, window, tmp_path, rng):
    from neuroview.ai.finetune import read_dataset, split

    root = make_raw_dataset(tmp_path / "raw", rng)          # raw/Dataset001_Blobs
    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.5, split="y")
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    dialog.measure("blobs@1.0.0", "blobs@1.1.0", str(root.parent), device="cpu")
    qtbot.waitUntil(lambda: not dialog.measuring, timeout=120000)
    split_id = split(read_dataset(root))[2]
    assert dialog.status_label.text() == (f"Measured blobs@1.0.0 and blobs@1.1.0 on Dataset001_Blobs "
                                          f"split {split_id}.")
    assert f"both run on Dataset001_Blobs split {split_id}." in dialog.compare_label.text()
