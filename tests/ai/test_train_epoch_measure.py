"""Each epoch of ``neuroview train --dataset`` printed a held-out Dice of the network alone on the
model's grid (0.262, 0.272 fine-tuning lesionseg) while the final line and the card gave the model
run as Segment runs it, brain extraction and post-processing included (0.725, the same held-out
case), and the kept epoch was chosen by the first. Now each epoch measures what the card reports."""

from __future__ import annotations

import re

import pytest

from tests.ui.train_data import install, make_raw_dataset

pytest.importorskip("torch")

TINY = ["--epochs", "2", "--iterations", "1", "--patch", "16", "--spacing", "2",
        "--base-channels", "2", "--batch-size", "1", "--device", "cpu", "--threads", "1"]


def test_each_epochs_held_out_dice_is_the_cards_measure(tmp_path, rng, capsys):
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    dataset = make_raw_dataset(tmp_path, rng)
    # a base that labels every voxel lesion, and whose post-processing drops every region under a
    # litre: the network alone scores the overlap of the whole image with the blob, Segment 0
    install(tmp_path, "blobs", "1.0.0", 0.5, head_bias=[-6.0, 6.0],
            postprocessing={"min_component_mm3": 1_000_000.0})
    assert main(["train", "--dataset", str(dataset), "--base", "blobs", "--out", "blobs", *TINY]) == 1
    out, err = capsys.readouterr()
    epochs = [float(d) for d in re.findall(r"^epoch \d+: loss \S+  held-out Dice (\S+)", out, re.M)]
    # epoch 0, the base before training, is measured as the card would measure it: 0, not the
    # whole image's overlap with the blob; no later epoch beats it, so no new version is saved
    assert epochs == [0.0, 0.0, 0.0], out
    assert "no epoch beat the base blobs@1.0.0" in err and "base 0.000" in err
    assert [e.ref for e in Registry().entries() if e.card.name == "blobs"] == ["blobs@1.0.0"]
