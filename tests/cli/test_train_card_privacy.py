"""A model card travels with its model, and its ``training.recipe`` was the whole local command
line: ``neuroview train --dataset /home/dr/patients/Smith_John/... --out ...``. A shared model
carried paths that can name a patient or an institution, and the card also named the dataset's
folder and held-out cases by their file names. Now paths are words that say what they were
(``--dataset DATASET``, ``--out OUT``, ``--base NAME@VERSION``) and names that are not nnU-Net's
numbering are written by their place."""

from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np
import pytest

from tests.ui.train_data import install, make_raw_dataset

pytest.importorskip("torch")

TINY = ["--patch", "16", "--spacing", "2", "--base-channels", "2", "--batch-size", "1",
        "--device", "cpu", "--threads", "1"]
PATIENTS = ["Smith_John_MR1", "Doe_Jane_MR2", "Roe_Rick_MR1", "Poe_Anna_MR3", "Lee_Mary_MR1",
            "Kim_Paul_MR2"]


def _train_parser():
    from neuroview.cli import train

    parser = argparse.ArgumentParser()
    train.register(parser)
    return parser


def test_the_recipe_replaces_each_path_and_keeps_every_other_word(tmp_path):
    from neuroview.cli.train_recipe import recipe

    base = install(tmp_path / "Smith_John", "blobs", "1.0.0", 0.5).card   # a package folder there
    words = ["--dataset", "/home/dr/patients/Smith_John/Dataset001_Blobs", "--base",
             str(tmp_path / "Smith_John" / "blobs-1.0.0"), "--out", "/home/dr/Smith_John/model",
             "--epochs", "3", "--learning-rate", "5e-4", "--seed", "16"]
    assert recipe(words, _train_parser()) == ("neuroview train --dataset DATASET --base blobs@1.0.0 "
                                              "--out OUT --epochs 3 --learning-rate 5e-4 --seed 16")
    # '=' forms, abbreviations argparse takes, a registry reference and a model name as given
    words = ["--data=/srv/St_Mary_Hospital/set", "--ba", "blobs@1.0.0", "--out", "lesions", "--minutes", "9"]
    assert recipe(words, _train_parser()) == ("neuroview train --data=DATASET --ba blobs@1.0.0 "
                                              "--out lesions --minutes 9")
    assert base.ref == "blobs@1.0.0"
    # a name without its version is the version it resolves to now: once another blobs is
    # promoted, '--base blobs' would fine-tune that one (it was recorded as 'blobs', as typed)
    assert recipe(["--base", "blobs", "--out", "b2"], _train_parser()) == (
        "neuroview train --base blobs@1.0.0 --out b2")
    # a base folder with no card, and a relative output folder
    words = ["--synthetic", "--base", str(tmp_path / "Doe_Jane"), "--out", "../Doe_Jane/out"]
    assert recipe(words, _train_parser()) == "neuroview train --synthetic --base BASE --out OUT"


def _patient_named_dataset(folder, rng):
    """make_raw_dataset's six cases, in a folder and under file names that name patients."""
    root = make_raw_dataset(folder, rng).rename(folder / "Smith_John_and_others")
    for number, name in enumerate(PATIENTS):
        (root / "imagesTr" / f"c{number}_0000.nii.gz").rename(root / "imagesTr" / f"{name}_0000.nii.gz")
        (root / "labelsTr" / f"c{number}.nii.gz").rename(root / "labelsTr" / f"{name}.nii.gz")
    return root


def test_a_fine_tuned_cards_text_names_no_path_folder_or_patient(tmp_path, rng, monkeypatch, capsys):
    import nibabel as nib

    from neuroview.ai import train
    from neuroview.ai.finetune import read_dataset, split
    from neuroview.cli.main import main

    private = tmp_path / "home" / "dr" / "patients"
    root = _patient_named_dataset(private, rng)
    install(private, "blobs", "1.0.0", 0.5)   # its package folder stays there: --base names it
    held = split(read_dataset(root))[1][0].name
    fit = train.fit

    def fit_while_a_held_out_label_is_replaced(*args, **kwargs):   # Send to training set again
        label = root / "labelsTr" / f"{held}.nii.gz"
        image = nib.load(label)
        nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), label)
        return fit(*args, **kwargs)

    monkeypatch.setattr(train, "fit", fit_while_a_held_out_label_is_replaced)
    out = private / "Smith_John_and_others" / "models" / "blobs"
    argv = ["train", "--dataset", str(root), "--base", str(private / "blobs-1.0.0"), "--out", str(out),
            "--epochs", "1", "--iterations", "1", "--keep-worse", *TINY]   # a tiny model: kept
    monkeypatch.setattr(sys, "argv", ["neuroview", *argv])   # as the command line runs it
    assert main(argv) == 0, capsys.readouterr().err
    text = (out / "model.json").read_text()
    card = json.loads(text)
    assert card["training"]["recipe"] == ("neuroview train --dataset DATASET --base blobs@1.0.0 --out OUT "
                                          "--epochs 1 --iterations 1 --keep-worse " + " ".join(TINY))
    assert card["parent"] == "blobs@1.0.0"
    assert card["training"]["data"] == "nnU-Net v2 raw dataset DATASET: 5 training cases"
    place = sorted(PATIENTS).index(held) + 1
    assert card["metrics"]["held_out_changed_during_training"] == [f"case {place} of 6 in name order"]
    for private_word in [str(tmp_path), os.sep + "home", "Smith", "John", *PATIENTS]:
        assert private_word not in text, private_word


def test_nnunet_case_numbers_and_dataset_names_stay_on_the_card():
    from neuroview.ai.card_names import case_ids, dataset_name

    every = ["case_0001", "case_0002", "case_0010"]
    assert case_ids(["case_0010"], every) == ["case_0010"]
    assert case_ids(["nv_0003"], ["nv_0001", "nv_0003"]) == ["nv_0003"]
    assert case_ids(["Smith_0002"], ["Doe_0001", "Smith_0002"]) == ["case 2 of 2 in name order"]
    assert dataset_name("Dataset501_Lesions") == "Dataset501_Lesions"
    assert dataset_name("Smith_John") == "DATASET"
