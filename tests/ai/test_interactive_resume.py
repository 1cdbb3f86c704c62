"""``neuroview train --interactive --resume``: a run killed (SIGKILL, in a child process) after its
first epoch's checkpoint, during its second epoch, resumes and ends on the very weights of a run
never stopped (same seed); a checkpoint of other settings is refused in one line. With
``--workers`` too: each worker process's sampler state is kept (until session 37 a resumed run
drew from other seeds, and its prompts from a fresh generator); the checkpoint a run leaves
when it stops once epoch 2 is scored (epoch 1's, after 3 cubes, so that the next cube is the
second worker's) resumes to the epochs and weights of one never stopped (the workers keep the
recipe's new anatomy variant every 300 cubes: each would draw its 8 prefetched cubes' variants,
seconds each; the runs without workers draw one every 2 cubes, so the checkpoint must keep it).
A tiny fine-tune (with the moving average and --keep-worse, so that every part of the checkpoint
counts and the package is saved). Bit-equality needs a clock that gives the same readings to both
runs: the learning rate follows the clock (the fraction of --minutes spent), so here the clock
counts one second per training batch; on a real clock no two runs, stopped or not, are equal.
"""

from __future__ import annotations

import functools
import itertools
import signal
import types
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from neuroview.ai.interactive import train as interactive_train  # noqa: E402
from neuroview.ai.package import load_model  # noqa: E402


def config(base, out, **changed):
    """Two epochs of two batches (the clock: one second a batch, --minutes 4 s)."""
    settings = dict(out=Path(out), name="tinyclick", version="1.1.0", minutes=4 / 60,
                    iterations_per_epoch=2, batch_size=1, patch=16, levels=2, learning_rate=0.01,
                    threads=1, validation_objects=2, corrective_clicks=1, base=base and str(base),
                    keep_worse=True, average_decay=0.9)
    settings.update(changed)
    return interactive_train.InteractiveConfig(**settings)


def run(cfg, log, refresh_every: int = 2):
    """train_interactive with the clock of the module notes (and no test-object figures), its
    sampler drawing a new anatomy variant every ``refresh_every`` cubes (300 in the recipe: here
    epoch 1's second cube, so the checkpoint must keep the variant; until session 37 a resumed
    run sampled the first one)."""
    from neuroview.ai.interactive.cubes import ObjectSampler

    batches = itertools.count()
    clock = [0.0]
    draw = interactive_train._batch

    def counted(*args, **kwargs):
        clock[0] = float(next(batches) + 1)
        return draw(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(interactive_train, "time", types.SimpleNamespace(monotonic=lambda: clock[0]))
        patch.setattr(interactive_train, "_batch", counted)
        patch.setattr(interactive_train, "ObjectSampler", functools.partial(ObjectSampler,
                                                                           refresh_every=refresh_every))
        patch.setattr(interactive_train, "measure_card", lambda folder, log: {})
        return interactive_train.train_interactive(cfg, log=log)


def _killed_in_epoch_2(base: str, out: str) -> None:
    """The child: killed (SIGKILL) once epoch 2 is scored, before its checkpoint."""
    import os

    def log(line):
        if line.startswith("epoch 2 "):
            os.kill(os.getpid(), signal.SIGKILL)

    run(config(base, out), log)


@pytest.fixture(scope="module")
def killed(tiny_click_base, tmp_path_factory):
    """The package folder of a run killed in its second epoch (its checkpoint: epoch 1's), in a
    forked copy of this process (``tests.durability.fork_killed``): a fresh ``python -c`` spent
    about 2.3 s of CPU importing torch and the training before its run."""
    from tests.durability import fork_killed

    out = tmp_path_factory.mktemp("killed") / "tinyclick-1.1.0"
    code, err = fork_killed(_killed_in_epoch_2, str(tiny_click_base), str(out))
    assert code == -signal.SIGKILL, err[-2000:]
    assert not out.exists() and out.with_name(out.name + ".checkpoint").exists()
    return out


def _weights(folder):
    from safetensors.torch import load_file

    return load_file(str(next(Path(folder).glob("*.safetensors"))))


def test_a_killed_run_resumes_to_the_weights_of_a_run_never_stopped(tiny_click_base, killed, tmp_path):
    whole_lines, lines = [], []
    whole = run(config(tiny_click_base, tmp_path / "tinyclick-1.1.0"), whole_lines.append)
    resumed = run(config(tiny_click_base, killed, resume=True), lines.append)
    assert lines[0].startswith(f"resumed from {killed.with_name(killed.name + '.checkpoint')} at epoch 1 "
                               "(0.0 of 0.0666667 min; best so far: epoch "), lines
    assert not any(line.startswith(("epoch 0 ", "epoch 1 ")) for line in lines), lines  # not redone
    assert [line for line in whole_lines if not line.startswith(("epoch 0 ", "epoch 1 "))] == lines[1:]
    a, b = _weights(whole), _weights(resumed)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    cards = load_model(whole).card, load_model(resumed).card
    assert cards[0].metrics == cards[1].metrics   # the base's epoch-0 figures came from the checkpoint
    assert cards[0].training["history"] == cards[1].training["history"]
    assert (cards[1].training["epochs_run"], cards[1].training["iterations"]) == (2, 4)


def test_a_checkpoint_of_other_settings_is_refused(tiny_click_base, killed):
    from neuroview.core.errors import ModelError

    with pytest.raises(ModelError, match=r"^" + str(killed) + r"\.checkpoint: made with other settings \("
                                         r"learning_rate 0\.01, now 0\.5\): resume with"):
        run(config(tiny_click_base, killed, resume=True, learning_rate=0.5), lambda line: None)
    # another base: checkpoint.check_base's line (tests/ai/test_interactive_resume_base.py)
    with pytest.raises(ModelError, match=r"^" + str(killed) + r"\.checkpoint: the checkpoint started "
                                         r"from tinyclick@1\.0\.0, not scratch \(no --base\): "):
        run(config(None, killed, resume=True), lambda line: None)


def test_a_resumed_run_with_workers_draws_the_cubes_of_a_run_never_stopped(tiny_click_base, tmp_path):
    """The checkpoint is the one the run never stopped had on disk when it scored epoch 2: what a
    run stopped then leaves (it is written after each epoch only; the first test kills a run there
    and resumes from what it left), copied from the whole run rather than made by a third run
    with two worker processes of its own (README *Test suite*, session 52)."""
    import shutil

    from neuroview.ai.interactive.resume import checkpoint_folder

    settings = dict(workers=2, iterations_per_epoch=3, minutes=6 / 60)
    whole_out, out = tmp_path / "whole" / "tinyclick-1.1.0", tmp_path / "stopped" / "tinyclick-1.1.0"
    whole_lines = []

    def log(line: str) -> None:
        if line.startswith("epoch 2 ") and not checkpoint_folder(out).exists():
            shutil.copytree(checkpoint_folder(whole_out), checkpoint_folder(out))   # epoch 1's
        whole_lines.append(line)

    whole = run(config(tiny_click_base, whole_out, **settings), log, refresh_every=300)
    lines = []
    resumed = run(config(tiny_click_base, out, resume=True, **settings), lines.append, refresh_every=300)
    assert lines[0].startswith("resumed from ") and " at epoch 1 " in lines[0], lines
    assert not any("other seeds" in line for line in lines), lines
    # epoch 2's loss and held-out Dice (the weights kept may be epoch 1's, of the checkpoint)
    assert [line for line in whole_lines if line.startswith("epoch 2 ")] == \
        [line for line in lines if line.startswith("epoch 2 ")]
    cards = load_model(whole).card, load_model(resumed).card
    assert cards[0].training["history"] == cards[1].training["history"]
    a, b = _weights(whole), _weights(resumed)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_another_number_of_workers_is_said_to_draw_other_cubes(monkeypatch):
    import numpy as np

    made = []
    monkeypatch.setattr(interactive_train, "ParallelCubes", lambda anatomy, cfg, saved=None: made.append(
        (cfg.seed, saved)))
    cfg, lines = config(None, "unused", workers=2, seed=5), []
    rng = np.random.default_rng(0)
    saved = {"epoch": 3, "rng": np.random.default_rng(9).bit_generator.state,
             "sampler": {"drawn": 7, "states": [None]}}
    interactive_train._sampler(None, cfg, rng, saved, lines.append)
    assert lines == ["note: the checkpoint's cubes were cut by 1 worker process, now 2: the cubes go on "
                     "from other seeds, so the run is not the one it would have been uninterrupted"]
    assert made == [(5 + 104_729 * 3, None)] and rng.bit_generator.state == saved["rng"]
    interactive_train._sampler(None, cfg, rng, {**saved, "sampler": {"drawn": 7, "states": [None, None]}},
                               lines.append)
    assert len(lines) == 1 and made[1] == (5, {"drawn": 7, "states": [None, None]})
    with pytest.raises(AttributeError):   # the note comes before the sampler (no anatomy here)
        interactive_train._sampler(None, config(None, "unused"), rng, saved, lines.append)
    assert lines[1] == ("note: the checkpoint's cubes were cut by 1 worker process, now by the training "
                        "process: the cubes go on from other states, so the run is not the one it would "
                        "have been uninterrupted")
