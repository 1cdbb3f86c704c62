"""``neuroview train --dataset`` and ``models compare --dataset`` take the folder Send to training
set was given (the one holding ``Dataset501_Lesions``), as the ``dataset`` verbs do. AI > Train
model... with that folder failed with "no dataset.json: not an nnU-Net v2 raw dataset folder"."""

from __future__ import annotations

import pytest

from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")


def _cli(capsys, *args):
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_train_and_compare_take_the_folder_holding_the_dataset(capsys, tmp_path, rng):
    from neuroview.ai.registry import Registry

    root = make_raw_dataset(tmp_path / "training-sets", rng)
    holder = root.parent
    code, out, err = _cli(capsys, "train", "--dataset", holder, "--out", "blobs", "--epochs", "1",
                          "--iterations", "1", "--patch", "16", "--spacing", "2", "--base-channels", "2",
                          "--batch-size", "1", "--device", "cpu")
    assert code == 0, err
    card = Registry().get("blobs@1.0.0").card
    assert card.metrics["held_out_cases"] >= 1
    code, out, err = _cli(capsys, "models", "compare", "blobs@1.0.0", "blobs@1.0.0", "--dataset", holder,
                          "--device", "cpu")
    assert code == 0, err
    assert f"held-out Dice on {root}" in out

    (tmp_path / "empty").mkdir()
    code, out, err = _cli(capsys, "train", "--dataset", tmp_path / "empty", "--out", "x")
    assert code == 1 and "no dataset.json" in err
