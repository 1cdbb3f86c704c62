"""``neuroview train --resume`` names the checkpoint's best epoch and its held-out Dice: the
window's *Train model...* reads it as "best so far" (it said "best so far -" after a resumed epoch
that did not beat the checkpoint's, whose weights the model still got; session 33's walk)."""

from __future__ import annotations

import re

import pytest

from tests.ai.checkpoint_groups import assert_nothing_twice
from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")


def _cli(capsys, *args):
    from neuroview.cli.main import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_resume_names_the_checkpoints_best_epoch(capsys, tmp_path, rng, monkeypatch):
    from neuroview.ai import finetune
    from neuroview.core.errors import ModelError

    def stopped(*args, **kwargs):
        raise ModelError("stopped after the epochs")   # as a Cancel leaves the checkpoint

    dataset = make_raw_dataset(tmp_path, rng)
    common = ["--out", "blobs", "--version", "1.0.0", "--iterations", "1", "--patch", "16",
              "--spacing", "2", "--base-channels", "2", "--batch-size", "1"]
    with monkeypatch.context() as patch:
        patch.setattr(finetune, "changed_cases", stopped)   # the first step after the epochs
        code, out, _ = _cli(capsys, "train", "--dataset", dataset, *common, "--epochs", "1")
    assert code == 1
    first = re.search(r"^epoch 1: loss \S+\s+held-out Dice ([0-9.]+)\s+\(best\)", out, re.M)
    assert first, out
    from neuroview.ai.registry import Registry

    # epoch 1 the best and the last: its weights once, not again as best.*
    assert_nothing_twice(Registry().models_dir / "blobs@1.0.0.checkpoint")
    code, out, err = _cli(capsys, "train", "--dataset", dataset, *common, "--epochs", "2", "--resume")
    assert code == 0, err
    resumed = re.search(r"^resumed from .*blobs@1\.0\.0\.checkpoint at epoch 1 "
                        r"\(best held-out Dice ([0-9.]+) at epoch 1\)$", out, re.M)
    assert resumed, out
    assert resumed.group(1) == first.group(1)   # the figure epoch 1 printed

