"""``neuroview train --synthetic --base MODEL`` keeps the rule of ``--dataset --base``: the base is
measured first, as epoch 0 on the validation heads, and a run none of whose epochs beats it saves
no new version (until session 36 only ``--dataset`` had the rule: a synthetic fine-tune kept the
best of its epochs however far below the base, and registered it)."""

from __future__ import annotations

import re

import pytest

torch = pytest.importorskip("torch")

HYPER = {"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2}


def _base_calling_every_voxel_lesion(folder, version="1.0.0"):
    """A tiny recipe-shaped lesion model whose answer is 'lesion' everywhere (figures above 0)."""
    from neuroview.ai.api import ModelCard
    from neuroview.ai.lesion_recipe import LESION_LABELS
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    network = build_network("unet3d", HYPER)
    with torch.no_grad():
        network.head.weight.zero_()
        network.head.bias.copy_(torch.tensor([0.0, 3.0]))
    card = ModelCard(name="tinyseg", version=version, architecture="unet3d", hyperparameters=HYPER,
                     input_channels=["T1"], target_spacing=(4.0,) * 3, patch_size=(16,) * 3,
                     labels=list(LESION_LABELS))
    return save_package(folder, card, network.state_dict())


def test_a_synthetic_fine_tune_worse_than_its_base_is_said_and_not_saved(tmp_path):
    from neuroview.ai.lesion_recipe import train_synthetic
    from neuroview.ai.train_config import TrainConfig
    from neuroview.core.errors import ModelError

    base = _base_calling_every_voxel_lesion(tmp_path / "tinyseg-1.0.0")
    out = tmp_path / "tinyseg-1.1.0"
    # a learning rate that wrecks it: its epochs score below the base
    config = TrainConfig(out=out, name="tinyseg", version="1.1.0", epochs=2, iterations_per_epoch=2,
                         batch_size=1, patch=16, spacing=4.0, base_channels=2, levels=2,
                         learning_rate=1.0, threads=1, validation_cases=1,
                         extra={"base": str(base)})
    lines = []
    with pytest.raises(ModelError) as refused:
        train_synthetic(config, log=lines.append)
    base_line = next(line for line in lines if line.startswith("epoch 0:"))
    assert "(best)" in base_line and "the base, before training" in base_line
    epochs = [line for line in lines if line.startswith(("epoch 1:", "epoch 2:"))]
    assert len(epochs) == 2 and all("(best)" not in line for line in epochs), lines
    message = str(refused.value)
    assert message.startswith("no epoch beat the base tinyseg@1.0.0 on the recipe's validation heads "
                              "(lesion-wise F1/Dice, F1 first: base 0.000/0.0"), message
    assert "its best epoch, " in message and "no new version saved" in message
    assert not out.exists() and out.with_name(out.name + ".checkpoint").exists()   # its way back


def test_a_resumed_synthetic_run_whose_time_is_spent_goes_straight_to_the_rule(tmp_path, monkeypatch):
    """A run ended by its --minutes trains no further when resumed: without --keep-worse the same
    error, with it the best trained epoch saved (its checkpoint's weights). Nor does it make the
    training pool's deformed anatomies or the validation heads (seconds of CPU each, until
    session 45 made before the checkpoint was read), nor a run refused for another base."""
    from neuroview.ai import contrast, lesion_recipe, train
    from neuroview.ai.checkpoint import read_tensors
    from neuroview.ai.lesion_recipe import train_synthetic
    from neuroview.ai.train_config import TrainConfig
    from neuroview.core.errors import ModelError

    base = _base_calling_every_voxel_lesion(tmp_path / "tinyseg-1.0.0")
    out = tmp_path / "tinyseg-1.1.0"
    settings = dict(out=out, name="tinyseg", version="1.1.0", epochs=50, minutes=1e-6,
                    iterations_per_epoch=2, batch_size=1, patch=16, spacing=4.0, base_channels=2,
                    levels=2, learning_rate=1.0, threads=1, validation_cases=1)
    lines = []
    with pytest.raises(ModelError):
        train_synthetic(TrainConfig(**settings, extra={"base": str(base)}), log=lines.append)
    assert "stopping: time budget reached" in lines and "epoch 2:" not in " ".join(lines)
    stored = read_tensors(out.with_name(out.name + ".checkpoint"))
    kept = {k[len("more.trained."):]: v for k, v in stored.items() if k.startswith("more.trained.")}
    monkeypatch.setattr(train, "dice_ce_loss", lambda *a, **k: pytest.fail("a training iteration ran"))
    monkeypatch.setattr(contrast, "deformed_tissues", lambda *a, **k: pytest.fail("an anatomy was deformed"))
    monkeypatch.setattr(lesion_recipe, "head_cases", lambda *a, **k: pytest.fail("heads were made"))
    # another base: the refusal names the base as given, a folder (its name@version is not
    # registered: --base tinyseg@1.0.0 would not find it)
    other = _base_calling_every_voxel_lesion(tmp_path / "other", version="1.0.1")
    with pytest.raises(ModelError, match=r"started from tinyseg@1\.0\.0, not tinyseg@1\.0\.1: .*; "
                                         r"resume with --base " + re.escape(str(base)) + ", or train again"):
        train_synthetic(TrainConfig(**settings, resume=True, extra={"base": str(other)}), log=print)
    with pytest.raises(ModelError, match="^no epoch beat the base"):
        train_synthetic(TrainConfig(**settings, resume=True, extra={"base": str(base)}), log=print)
    lines, finished = [], {}   # the package's weights (its tuning and test heads take minutes)
    monkeypatch.setattr(lesion_recipe, "finish_synthetic", lambda network, *a, not_better, **k:
                        finished.update(weights=network.state_dict(), not_better=not_better))
    keep = TrainConfig(**settings, resume=True, extra={"base": str(base), "keep_worse": True})
    lesion_recipe.train_synthetic(keep, log=lines.append)
    assert "the run had ended (its time budget spent): no more training" in lines
    assert "kept the best trained epoch, 1 (--keep-worse)" in lines and finished["not_better"]
    saved = finished["weights"]
    assert kept and saved.keys() == kept.keys() and all(torch.equal(saved[k], kept[k]) for k in kept)
