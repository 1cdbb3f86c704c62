"""``neuroview train --interactive --base MODEL`` keeps the rule of ``--dataset`` and ``--synthetic``:
the base is scored first on the recipe's held-out objects (Dice after 1 and 3 clicks), as epoch 0,
and a run none of whose epochs scores higher saves nothing; ``--keep-worse`` saves it marked (until
session 36 the best of the epochs run was kept, however far below the base, and saved).

The base cannot be beaten here: a tiny promptable network trained at learning rate 0 answers every
epoch as it did before (a tie is not a win). One epoch of one step: the clock counts 0.01 s a call.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from neuroview.ai.interactive import train as interactive_train  # noqa: E402
from tests.ai.interactive_fine_tune import fine_tune as _fine_tune  # noqa: E402


@pytest.fixture(scope="module")
def refused_once(tiny_click_base, tmp_path_factory):
    """``(out, the error, its log lines)`` of a one-epoch fine-tune that did not beat its base, run
    once for the module (the first and the last test start from it: 1.8 s of CPU each)."""
    out = tmp_path_factory.mktemp("refused") / "tinyclick-1.1.0"
    return (out, *_fine_tune(tiny_click_base, out, keep_worse=False))


def test_an_interactive_fine_tune_that_does_not_beat_its_base_is_said_and_not_saved(refused_once):
    from neuroview.core.errors import ModelError

    out, refused, lines = refused_once
    assert isinstance(refused, ModelError), refused
    base_line = next(line for line in lines if line.startswith("epoch 0 "))
    assert "the base tinyclick@1.0.0, before training" in base_line and base_line.endswith("(best)")
    epoch = [line for line in lines if line.startswith("epoch 1 ")]
    assert len(epoch) == 1 and "(best)" not in epoch[0], lines
    figures = base_line.split("held-out Dice 1 click ")[1].split("  ")[0].replace(", 3 clicks ", "/")
    assert epoch[0].endswith(f"1 click {figures.replace('/', ', 3 clicks ')}")   # the very figures
    assert str(refused).startswith(
        "no epoch beat the base tinyclick@1.0.0 on the held-out objects (Dice after 1/3 clicks: base "
        f"{figures}, its best epoch, 1 of 1, {figures}): no new version saved"), str(refused)
    assert not out.exists()


def test_keep_worse_saves_it_marked_with_the_bases_figures(tiny_click_base, tmp_path, monkeypatch):
    """... and promotion refuses it, naming the base and its held-out objects."""
    from neuroview.ai.package import load_model
    from neuroview.ai.registry import INTERACTIVE_TASK, Registry
    from neuroview.core.errors import ModelError

    folder, lines = _fine_tune(tiny_click_base, tmp_path / "tinyclick-1.1.0", keep_worse=True)
    metrics = load_model(folder).card.metrics
    assert metrics["not_better_than_base"] is True
    assert (metrics["base_held_out_dice_1_click"], metrics["base_held_out_dice_3_clicks"]) == \
        (metrics["held_out_dice_1_click"], metrics["held_out_dice_3_clicks"])
    assert any(line.startswith("note: no epoch beat the base tinyclick@1.0.0 on the held-out objects; "
                               "saved as asked (--keep-worse)") for line in lines), lines
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    registry = Registry()
    registry.add(tiny_click_base)
    registry.add(folder)
    with pytest.raises(ModelError, match=r"^tinyclick@1\.1\.0 did not beat its base tinyclick@1\.0\.0 on "
                                         "its held-out objects when it was trained"):
        registry.promote("tinyclick@1.1.0", INTERACTIVE_TASK)


def test_resume_keep_worse_saves_the_checkpoints_best_trained_epoch(tiny_click_base, refused_once, tmp_path,
                                                                     monkeypatch):
    """The refused run's checkpoint stays; resumed with its time spent it trains no further: the same
    error without --keep-worse, and with it the best trained epoch's weights saved (on a copy of
    the module's refused run's checkpoint)."""
    import shutil

    from safetensors.torch import load_file

    from neuroview.ai.checkpoint import read_tensors
    from neuroview.core.errors import ModelError

    first, refused, _ = refused_once
    assert isinstance(refused, ModelError) and "--resume --keep-worse" in str(refused)
    out = tmp_path / first.name
    shutil.copytree(first.with_name(first.name + ".checkpoint"), out.with_name(out.name + ".checkpoint"))
    stored = read_tensors(out.with_name(out.name + ".checkpoint"))
    kept = {k[len("more.trained."):]: v for k, v in stored.items() if k.startswith("more.trained.")}
    from neuroview.app.train_marker import trained_epoch

    assert trained_epoch(out.with_name(out.name + ".checkpoint")) == 1   # as Ctrl+C's note says it
    monkeypatch.setattr(interactive_train, "_batch", lambda *a, **k: pytest.fail("a training step ran"))
    again, _ = _fine_tune(tiny_click_base, out, keep_worse=False, resume=True)
    assert isinstance(again, ModelError) and str(again).startswith("no epoch beat the base"), again
    folder, lines = _fine_tune(tiny_click_base, out, keep_worse=True, resume=True)
    assert "kept the best trained epoch, 1 (--keep-worse)" in lines, lines
    saved = load_file(str(folder / "weights.safetensors"))
    assert kept and saved.keys() == kept.keys() and all(torch.equal(saved[k], kept[k]) for k in kept)
