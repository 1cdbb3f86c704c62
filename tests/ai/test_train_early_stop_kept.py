"""A fine-tune that stops early (its patience spent before its epochs) with no epoch beating the
base keeps its checkpoint with the best trained epoch's weights, and only that copy beside the last
weights (the base's are in its package); ``--resume --keep-worse`` saves that epoch, its card
saying it did not beat the base and by what figures."""

from __future__ import annotations

import pytest

from tests.ai.checkpoint_groups import assert_nothing_twice
from tests.ui.train_data import damage_training_labels, install, make_raw_dataset

torch = pytest.importorskip("torch")


def _said_dice(out: str, epoch: int) -> float:
    line = next(line for line in out.splitlines() if line.startswith(f"epoch {epoch}:"))
    return float(line.split("held-out Dice ")[1].split()[0])


# patience spent after epoch 2 of 8; the time budget (36 ms) after epoch 1, whose learning rate
# follows the clock down to 2 % of its start at once: 1.0 became a rate that did beat the base
ENDS = [(("--patience", "2"), 2, "stopping early: no improvement for 2 epochs", "stopped early"),
        (("--minutes", "0.0006", "--learning-rate", "50"), 1, "stopping: time budget reached",
         "its time budget spent")]


@pytest.mark.parametrize("stop, run, said, ended", ENDS, ids=["early-stop", "time-budget"])
def test_a_run_ended_keeps_the_best_trained_epoch_and_keep_worse_saves_it(tmp_path, rng, capsys,
                                                                          monkeypatch, stop, run, said,
                                                                          ended):
    from safetensors.torch import load_file

    from neuroview.ai import finetune, train
    from neuroview.ai.checkpoint import read_tensors
    from neuroview.ai.registry import Registry
    from neuroview.app.train_marker import trained_epoch
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    damage_training_labels(root)
    install(tmp_path, "blobs", "1.0.0", 0.2, head_bias=[0.0, 3.0])
    measured = []   # the weights of each pass over the held-out cases: the base, then each epoch
    real = finetune.evaluate_cases
    monkeypatch.setattr(finetune, "evaluate_cases", lambda model, *a, **k: measured.append(
        {n: v.detach().clone() for n, v in model.network.state_dict().items()}) or real(model, *a, **k))
    command = ["train", "--dataset", str(root), "--base", "blobs", "--out", "blobs", "--epochs", "8",
               "--iterations", "3", "--batch-size", "1", "--learning-rate", "1.0", *stop]
    monkeypatch.setattr("sys.argv", ["neuroview", *command])
    assert main(command) == 1
    out, err = capsys.readouterr()
    assert said in out and f"epoch {run + 1}:" not in out
    base_dice, dice = _said_dice(out, 0), [_said_dice(out, epoch) for epoch in range(1, run + 1)]
    best = dice.index(max(dice)) + 1   # the first of equals, as fit keeps
    assert max(dice) < base_dice and "no new version saved" in err

    folder = Registry().models_dir / "blobs@1.1.0.checkpoint"
    assert_nothing_twice(folder)   # the last epoch the best trained one: its weights once
    stored = read_tensors(folder)
    group = {prefix: {k[len(prefix):]: v for k, v in stored.items() if k.startswith(prefix)}
             for prefix in ("model.", "best.", "more.trained.")}
    base, epochs = measured[0], measured[1:]
    assert len(epochs) == run
    kept = group["more.trained."]
    assert kept.keys() == base.keys() and all(torch.equal(kept[k], epochs[best - 1][k]) for k in kept)
    assert all(torch.equal(group["model."][k], epochs[-1][k]) for k in base)   # to resume from
    assert any(not torch.equal(kept[k], base[k]) for k in base)
    # one copy of the trained weights; the base's not again (it held them as the best epoch's)
    assert group["best."] == {}
    assert trained_epoch(folder) == best   # what the Train dialog and Ctrl+C's note say
    package = load_file(str(Registry().get("blobs@1.0.0").path / "weights.safetensors"))
    assert all(torch.equal(package[k], base[k]) for k in base)

    # the command the error gives, as it says it: the epoch is saved without a training step
    again = err.split("without training again: ")[1].split(" (the checkpoint")[0]
    assert again.split() == ["neuroview", *command, "--resume", "--keep-worse"]
    monkeypatch.setattr(train, "dice_ce_loss", lambda *a, **k: pytest.fail("a training step ran"))
    assert main(again.split()[1:]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert f"the run had ended ({ended}): no more training" in out
    assert f"kept the best trained epoch, {best} (--keep-worse)" in out
    model = Registry().get("blobs@1.1.0")
    saved = load_file(str(model.path / "weights.safetensors"))
    assert saved.keys() == kept.keys() and all(torch.equal(saved[k], kept[k]) for k in kept)
    card = model.card
    assert card.metrics["not_better_than_base"] is True
    assert card.training["best_epoch"] == best and card.training["epochs_run"] == run
    # by what figures: the epoch's held-out Dice and the base's on the same cases, as said
    assert card.metrics["held_out_dice"]["lesion"] == pytest.approx(dice[best - 1], abs=6e-4)
    assert card.metrics["base_held_out"]["dice"]["lesion"] == pytest.approx(base_dice, abs=6e-4)
    assert not folder.exists()   # the package holds the epoch now


def test_ctrl_c_says_the_checkpoint_kept_and_the_commands_that_use_it(tmp_path, rng, capsys, monkeypatch):
    from safetensors.torch import load_file

    from neuroview.ai import train
    from neuroview.ai.checkpoint import read_tensors
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    damage_training_labels(root)
    install(tmp_path, "blobs", "1.0.0", 0.2, head_bias=[0.0, 3.0])
    command = ["train", "--dataset", str(root), "--base", "blobs", "--out", "blobs", "--epochs", "8",
               "--iterations", "3", "--batch-size", "1", "--learning-rate", "1.0"]
    monkeypatch.setattr("sys.argv", ["neuroview", *command])
    real = train.report

    def ctrl_c_after_epoch_2(progress, done, *args):
        real(progress, done, *args)
        if done == 2:
            raise KeyboardInterrupt   # as Ctrl+C raises it (SIGTERM too: stop_signals)

    monkeypatch.setattr(train, "report", ctrl_c_after_epoch_2)
    assert main(command) == 130
    out, err = capsys.readouterr()
    folder = Registry().models_dir / "blobs@1.1.0.checkpoint"
    lines = err.splitlines()
    assert lines[0] == f"note: the checkpoint of epoch 2 is kept in {folder}; to go on from it:"
    assert lines[1].split() == ["neuroview", *command, "--resume"]
    dice = [_said_dice(out, 1), _said_dice(out, 2)]
    best = dice.index(max(dice)) + 1
    assert max(dice) < _said_dice(out, 0)
    assert lines[2] == (f"no epoch has beaten the base so far; to save its best trained epoch, {best}, "
                        "without training again:")
    stopped = [("2" if word == "8" else word) for word in command]   # --epochs said once
    assert lines[3].split() == ["neuroview", *stopped, "--resume", "--keep-worse"]
    assert lines[4:] == ["neuroview: interrupted"]

    monkeypatch.setattr(train, "report", real)
    monkeypatch.setattr(train, "dice_ce_loss", lambda *a, **k: pytest.fail("a training step ran"))
    kept = {k[len("more.trained."):]: v for k, v in read_tensors(folder).items()
            if k.startswith("more.trained.")}
    assert main(lines[3].split()[1:]) == 0, capsys.readouterr().err
    assert f"kept the best trained epoch, {best} (--keep-worse)" in capsys.readouterr().out
    saved = load_file(str(Registry().get("blobs@1.1.0").path / "weights.safetensors"))
    assert kept and saved.keys() == kept.keys() and all(torch.equal(saved[k], kept[k]) for k in kept)
