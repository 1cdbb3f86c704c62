"""A fine-tune must beat its base on the held-out cases: the base is measured first, as epoch 0,
and is the epoch to beat; a run none of whose epochs beats it saves no new version and says so.
An annotator's one-epoch fine-tune of lesionseg@2.5.1 on one case with a damaged label dropped
its held-out Dice from 0.459 to 0.049, and that model was registered as the next version."""

from __future__ import annotations

import pytest

from tests.ui.train_data import damage_training_labels, install, make_raw_dataset

torch = pytest.importorskip("torch")


def _fine_tune_on_damaged_labels(tmp_path, rng, capsys, *more) -> tuple[int, str, str]:
    """``neuroview train --base blobs`` at a rate that wrecks it, on training labels emptied,
    from a base that calls every voxel lesion (Dice above 0 on the held-out blobs)."""
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    damage_training_labels(root)
    install(tmp_path, "blobs", "1.0.0", 0.2, head_bias=[0.0, 3.0])
    code = main(["train", "--dataset", str(root), "--base", "blobs", "--out", "blobs",
                 "--epochs", "2", "--iterations", "3", "--batch-size", "1",
                 "--learning-rate", "1.0", *more])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_fine_tune_worse_than_its_base_is_said_and_not_saved(tmp_path, rng, capsys):
    from neuroview.ai.registry import Registry

    code, out, err = _fine_tune_on_damaged_labels(tmp_path, rng, capsys)
    assert ("note: 1 held-out case of 6: too few to tell a better model from luck, so promotion needs "
            "--force (Promote anyway? in the window); 2 are held out from 8 cases at the default 20 %, "
            "or from these 6 with --validation-fraction 0.25\n") in out
    base_line = next(line for line in out.splitlines() if line.startswith("epoch 0:"))
    assert "(best)" in base_line and "the base, before training" in base_line
    base_dice = float(base_line.split("held-out Dice ")[1].split()[0])
    epochs = [line for line in out.splitlines() if line.startswith(("epoch 1:", "epoch 2:"))]
    assert epochs and all("(best)" not in line for line in epochs), out
    scores = [float(line.split("held-out Dice ")[1].split()[0]) for line in epochs]
    assert base_dice > 0 and max(scores) < base_dice   # the fine-tune is worse, as in the walk
    assert code == 1
    assert "no epoch beat the base blobs@1.0.0 on the held-out cases" in err
    assert f"base {base_dice:.3f}" in err and "no new version saved" in err
    registry = Registry()
    assert [entry.ref for entry in registry.entries() if entry.card.name == "blobs"] == ["blobs@1.0.0"]
    assert not (registry.models_dir / "blobs@1.1.0").exists()
    # the trained weights are not thrown away: the checkpoint keeps the best trained epoch, and
    # the error says how to save it (session 37: 90 minutes of training were deleted)
    assert (registry.models_dir / "blobs@1.1.0.checkpoint" / "state.safetensors").exists()
    assert "the same command with --resume --keep-worse" in err and "delete that folder" in err


def test_resume_keep_worse_saves_the_best_trained_epoch_without_training(tmp_path, rng, capsys,
                                                                          monkeypatch):
    from safetensors.torch import load_file

    from neuroview.ai import train
    from neuroview.ai.checkpoint import read_tensors
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    code, out, err = _fine_tune_on_damaged_labels(tmp_path, rng, capsys)
    assert code == 1 and "no new version saved" in err
    folder = Registry().models_dir / "blobs@1.1.0.checkpoint"
    stored = read_tensors(folder)
    kept = {k[len("more.trained."):]: v for k, v in stored.items() if k.startswith("more.trained.")}
    epochs = [line for line in out.splitlines() if line.startswith(("epoch 1:", "epoch 2:"))]
    scores = [float(line.split("held-out Dice ")[1].split()[0]) for line in epochs]
    base = load_file(str(Registry().get("blobs@1.0.0").path / "weights.safetensors"))
    assert kept and any(not torch.equal(kept[k], base[k]) for k in base)   # trained, not the base's

    def no_training(*args, **kwargs):
        raise AssertionError("a training iteration ran")

    monkeypatch.setattr(train, "dice_ce_loss", no_training)
    again = ["train", "--dataset", str(tmp_path / "Dataset001_Blobs"), "--base", "blobs", "--out",
             "blobs", "--epochs", "2", "--iterations", "3", "--batch-size", "1", "--learning-rate", "1.0",
             "--resume"]
    assert main(again) == 1   # without --keep-worse: the same refusal, the checkpoint still there
    assert "no new version saved" in capsys.readouterr().err and folder.exists()
    assert main([*again, "--keep-worse"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    best = scores.index(max(scores)) + 1
    assert f"kept the best trained epoch, {best} (--keep-worse)" in out
    card = Registry().get("blobs@1.1.0")
    assert card.card.metrics["not_better_than_base"] is True and card.card.training["best_epoch"] == best
    saved = load_file(str(card.path / "weights.safetensors"))
    assert saved.keys() == kept.keys() and all(torch.equal(saved[k], kept[k]) for k in kept)


def test_keep_worse_saves_the_best_epoch_marked_and_unpromotable(tmp_path, rng, capsys, monkeypatch):
    from neuroview.ai import finetune
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    passes = []   # each pass of a model over the held-out cases
    real = finetune.evaluate_cases
    monkeypatch.setattr(finetune, "evaluate_cases", lambda *a, **k: passes.append(1) or real(*a, **k))
    code, out, err = _fine_tune_on_damaged_labels(tmp_path, rng, capsys, "--keep-worse")
    assert code == 0, err
    assert "saved as asked (--keep-worse), marked not better than its base" in out
    card = Registry().get("blobs@1.1.0").card
    assert card.metrics["not_better_than_base"] is True and card.training["best_epoch"] in (1, 2)
    # the base is measured once, as epoch 0, and the card gives those figures: the base and each
    # of the 2 epochs (until session 36 the base was run a second time at the end, and until
    # session 37 the model kept, whose epoch had measured it)
    assert len(passes) == 1 + 2
    from neuroview.ai.segment import get_model

    base = get_model("blobs@1.0.0")
    _, held_out, _ = finetune.split(finetune.read_dataset(tmp_path / "Dataset001_Blobs"))
    dice, lesionwise = real(base, held_out)
    assert card.metrics["base_held_out"] == {"ref": "blobs@1.0.0", "dice": {"lesion": round(dice[0], 4)},
                                             "lesionwise": lesionwise}
    assert main(["models", "promote", "blobs@1.1.0"]) == 1
    assert "did not beat its base blobs@1.0.0" in capsys.readouterr().err


def test_a_held_out_case_changed_after_epoch_0_has_the_base_measured_again(tmp_path, rng, capsys,
                                                                           monkeypatch):
    """The base's card figures are its epoch 0's, unless a held-out case changed since (sent again
    during the run): then the base is run again on the case as the new model was measured on it."""
    import nibabel as nib
    import numpy as np

    from neuroview.ai import finetune
    from neuroview.ai.registry import Registry
    from neuroview.ai.segment import get_model

    real = finetune.evaluate_cases
    root = tmp_path / "Dataset001_Blobs"

    def measure_then_empty_the_held_out_label(*args, **kwargs):
        figures = real(*args, **kwargs)
        label = finetune.split(finetune.read_dataset(root))[1][0].label
        image = nib.load(label)
        nib.save(nib.Nifti1Image(np.zeros(image.shape, np.uint8), image.affine), label)
        monkeypatch.setattr(finetune, "evaluate_cases", real)   # once, after epoch 0
        return figures

    monkeypatch.setattr(finetune, "evaluate_cases", measure_then_empty_the_held_out_label)
    code, out, err = _fine_tune_on_damaged_labels(tmp_path, rng, capsys, "--keep-worse")
    assert code == 0, err
    first = float(next(line for line in out.splitlines() if line.startswith("epoch 0:"))
                  .split("held-out Dice ")[1].split()[0])
    card = Registry().get("blobs@1.1.0").card
    assert card.metrics["held_out_changed_during_training"]
    dice, lesionwise = real(get_model("blobs@1.0.0"), finetune.split(finetune.read_dataset(root))[1])
    # the emptied label holds no lesion: no Dice (None), where it was 1.0 until session 40
    assert dice == [None] and card.metrics["base_held_out"]["dice"] == {"lesion": None}
    assert card.metrics["held_out_dice_cases"] == {"lesion": 0}   # its Dice is over no case
    assert card.metrics["base_held_out"]["lesionwise"] == lesionwise
    assert first > 0 and lesionwise["lesions"] == 0   # not epoch 0's figures: the label is empty now


def test_a_fine_tune_says_it_keeps_its_bases_voxel_size_and_patch(tmp_path, rng, capsys):
    """--spacing and --patch with --base: the base's are used (its network was trained at them),
    said in one line; they were left unused without a word."""
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    install(tmp_path, "blobs", "1.0.0", 0.2, head_bias=[0.0, 3.0])
    main(["train", "--dataset", str(root), "--base", "blobs", "--out", "blobs", "--epochs", "1",
          "--iterations", "1", "--batch-size", "1", "--spacing", "3", "--patch", "24", "--keep-worse"])
    out = capsys.readouterr().out
    assert ("note: --spacing 3 and --patch 24 not used: a fine-tune keeps blobs@1.0.0's 2 mm voxels "
            "and 16-voxel patches\n") in out, out
