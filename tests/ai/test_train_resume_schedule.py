"""``neuroview train --resume`` goes on with the checkpoint's plan: without ``--epochs`` and
``--iterations`` it ran the defaults' 40 epochs of 60 batches (a 3-epoch run of 2 batches resumed
as 40 of 60), and a plan given otherwise began the learning-rate schedule again (session 43's
walk: the rate jumped back up); it now goes on from the rate reached, lowered over the batches
left, and says so."""

from __future__ import annotations

import pytest

from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")

LR = 0.003   # from scratch


def _expected(done: int, planned: int, start: int = 0, at: float = 0.0, lr: float = LR) -> float:
    share = at + (1 - at) * (done - start) / (planned - start)
    return lr * max(1 - min(share, 1.0), 0.02) ** 0.9


@pytest.fixture
def stopped_run(tmp_path, rng, monkeypatch, capsys):
    """A run from scratch of 3 epochs of 2 batches stopped after epoch 1, as a Cancel leaves its
    checkpoint; the learning rates of its batches (and of any run after) and its arguments."""
    return _stopped(tmp_path, rng, monkeypatch, capsys)


def _stopped(tmp_path, rng, monkeypatch, capsys, lr=LR):
    from neuroview.ai import eager_optim, train
    from neuroview.cli.main import main
    from neuroview.core.errors import ModelError

    rates = []
    step = eager_optim.EagerAdamW.step

    def recorded(self, *args, **kwargs):
        rates.append(self.param_groups[0]["lr"])
        return step(self, *args, **kwargs)

    monkeypatch.setattr(eager_optim.EagerAdamW, "step", recorded)
    save = train.save_checkpoint

    def stop_after_one(folder, network, optimizer, epoch, *args, **kwargs):
        save(folder, network, optimizer, epoch, *args, **kwargs)
        if epoch == 1 and not rates[2:]:
            raise ModelError("stopped after epoch 1")

    monkeypatch.setattr(train, "save_checkpoint", stop_after_one)
    common = ["train", "--dataset", str(make_raw_dataset(tmp_path, rng)), "--out", "small",
              "--patch", "16", "--spacing", "2", "--base-channels", "2", "--batch-size", "1",
              "--patience", "10"]
    given = [] if lr == LR else ["--learning-rate", str(lr)]
    assert main([*common, "--epochs", "3", "--iterations", "2", *given]) == 1
    assert "stopped after epoch 1" in capsys.readouterr().err
    assert rates == pytest.approx([_expected(0, 6, lr=lr), _expected(1, 6, lr=lr)])
    return common, rates


def test_resume_without_the_plan_takes_the_checkpoints(stopped_run, capsys):
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    common, rates = stopped_run
    at = common.index("--patch")   # --patch 16 --spacing 2 not given again: the run's, not 64 and 1.5
    assert main([*common[:at], *common[at + 4:], "--resume"]) == 0
    out = capsys.readouterr().out
    assert "note: the checkpoint's run" not in out and "epoch 3:" in out and "epoch 4:" not in out
    assert "not used" not in out, out
    # the schedule of the run never stopped: 6 batches, the rate falling throughout
    assert rates == pytest.approx([_expected(done, 6) for done in range(6)])
    card = Registry().get("small@1.0.0").card
    assert (card.training["epochs_run"], card.training["iterations"]) == (3, 6)
    assert (card.target_spacing, card.patch_size) == ((2.0,) * 3, (16,) * 3)


def test_resume_with_another_voxel_size_and_patch_says_the_runs_are_used(stopped_run, capsys):
    """--resume --spacing 3 --patch 24 of a run at 2 mm and 16 voxels: the run's go on, said in
    one line (3 mm and 24 went on without a word from weights trained at 2 mm, and the card said
    3 mm for the epoch kept, measured at 2 mm)."""
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    common, _ = stopped_run
    at = common.index("--patch")
    assert main([*common[:at], "--patch", "24", "--spacing", "3", *common[at + 4:], "--resume"]) == 0
    out = capsys.readouterr().out
    assert ("note: --spacing 3 and --patch 24 not used: the checkpoint's run is at 2 mm voxels and "
            "16-voxel patches, as the held-out Dice that picks the epoch kept was measured (train "
            "again without --resume to change them)\n") in out, out
    card = Registry().get("small@1.0.0").card
    assert (card.target_spacing, card.patch_size) == ((2.0,) * 3, (16,) * 3)


@pytest.mark.parametrize("given, plan", [(("--epochs", "5"), (5, 2)), (("--iterations", "6"), (3, 6))])
def test_resume_with_another_plan_goes_on_from_the_rate_reached(stopped_run, capsys, given, plan):
    """More epochs, or more batches an epoch (whose rate went back up, from 0.00255 at batch 2 to
    0.00270 at batch 3: the schedule of 18 batches begun again; 5 epochs went on at 0.00245, not
    0.00208, the rate the run had reached)."""
    from neuroview.ai.registry import Registry
    from neuroview.cli.main import main

    common, rates = stopped_run
    assert main([*common, "--resume", *given]) == 0
    out = capsys.readouterr().out
    reached = _expected(2, 6)   # the rate its third batch had in the 3-epoch run
    left = (plan[0] - 1) * plan[1]
    assert (f"note: the checkpoint's run was 3 epochs of 2 batches, now {plan[0]} of {plan[1]}: the "
            f"learning rate goes on from {reached:.3g}, lowered over the {left} batches left") in out, out
    assert rates[2:] == pytest.approx([_expected(done, 2 + left, 2, 2 / 6) for done in range(2, 2 + left)])
    assert all(later < earlier for earlier, later in zip(rates, rates[1:]))   # never back up
    training = Registry().get("small@1.0.0").card.training
    assert (training["epochs_run"], training["iterations"]) == (plan[0], 2 + left)


def test_resume_without_the_learning_rate_takes_the_checkpoints(tmp_path, rng, monkeypatch, capsys):
    """A run started at --learning-rate 0.01 went on at the default's 0.003 schedule when
    resumed without it (0.00208 at batch 3, not 0.00694)."""
    from neuroview.cli.main import main

    common, rates = _stopped(tmp_path, rng, monkeypatch, capsys, lr=0.01)
    assert main([*common, "--resume"]) == 0
    assert "note: the checkpoint's run" not in capsys.readouterr().out
    assert rates == pytest.approx([_expected(done, 6, lr=0.01) for done in range(6)])


def test_resume_with_another_learning_rate_says_so(stopped_run, capsys):
    """--resume --learning-rate 0.01 after a run at 0.003: honoured from the next batch (AdamW's
    moments do not depend on it), and said in one line (it was done without a word)."""
    from neuroview.cli.main import main

    common, rates = stopped_run
    assert main([*common, "--resume", "--learning-rate", "0.01"]) == 0
    out = capsys.readouterr().out
    assert (f"note: the checkpoint's run started at learning rate 0.003, now 0.01: it goes on at "
            f"{_expected(2, 6, lr=0.01):.3g} (not {_expected(2, 6):.3g}), lowered as planned\n") in out, out
    assert rates[2:] == pytest.approx([_expected(done, 6, lr=0.01) for done in range(2, 6)])


def test_resume_with_another_network_width_is_one_line(stopped_run, capsys):
    """--resume --base-channels 4 of a run made with 2: the checkpoint's weights do not fit the
    network (it was an internal error, torch's 'Error(s) in loading state_dict for UNet3D')."""
    from neuroview.cli.main import main

    common, _ = stopped_run
    at = common.index("--base-channels")
    assert main([*common[:at], "--base-channels", "4", *common[at + 2:], "--resume"]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("neuroview: ") and "small@1.0.0.checkpoint: its weights are of another " \
        "network than this run's (size mismatch for " in line, line
    assert line.endswith(": resume with the --base-channels and --base it was made with, or train "
                         "again without --resume"), line
