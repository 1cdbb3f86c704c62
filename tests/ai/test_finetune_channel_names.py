"""A fine-tune's card names the channel it was trained on: fine-tuning a T1 base on a dataset whose
channel is FLAIR wrote a card whose input channel was still 'T1' (the base's). One epoch of one
batch of a tiny base on six 24^3 cases, through ``neuroview train``."""

from __future__ import annotations

import json

import pytest

from tests.ui.train_data import install, make_raw_dataset

torch = pytest.importorskip("torch")


def test_a_fine_tune_on_a_flair_set_says_it_reads_flair(tmp_path, rng, capsys, monkeypatch):
    from neuroview.ai import finetune
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    dataset = make_raw_dataset(tmp_path, rng)
    fields = json.loads((dataset / "dataset.json").read_text())
    (dataset / "dataset.json").write_text(json.dumps({**fields, "channel_names": {"0": "FLAIR"}}))
    install(tmp_path, "blobs", "1.0.0", 0.2)
    monkeypatch.setattr(finetune, "judge", lambda *a, **k: False)   # kept, whatever its Dice
    code = main(["train", "--dataset", str(dataset), "--base", "blobs", "--out", "mine", "--version",
                 "1.1.0", "--epochs", "1", "--iterations", "1", "--batch-size", "1"])
    assert code == 0
    assert "given the dataset's channel 'FLAIR' as its 'T1'" in capsys.readouterr().out
    assert Registry().get("mine@1.1.0").card.input_channels == ["FLAIR"]
