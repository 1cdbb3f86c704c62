"""``neuroview train --interactive --resume`` goes on with the run's own ``--patch`` (and the
other settings typed only when wanted: ``--iterations``, ``--learning-rate``...) where the resume
does not give them, as ``--dataset`` and ``--synthetic`` do since session 44. It took the default
patch, 32, and refused the checkpoint of a run started with ``--patch 24``: 'made with other
settings (patch 24, now 32)'. A checkpoint is written without training (a tiny network), and the
run stops at its first step after the checkpoint is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from neuroview.ai.checkpoint import base_record  # noqa: E402
from neuroview.ai.eager_optim import EagerAdamW  # noqa: E402
from neuroview.ai.interactive import resume  # noqa: E402
from neuroview.ai.interactive import train as interactive_train  # noqa: E402
from neuroview.ai.interactive.roi import CHANNELS  # noqa: E402
from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.cli.main import main  # noqa: E402


class Loaded(Exception):
    """Raised by the first step after the checkpoint is loaded: the run goes no further."""


def _checkpoint(out: Path) -> None:
    """Epoch 1 of a run started as ``train --interactive --patch 24 --iterations 3
    --learning-rate 0.01 --base-channels 2``."""
    config = interactive_train.InteractiveConfig(out=out, name=out.name, patch=24,
                                                 iterations_per_epoch=3, learning_rate=0.01,
                                                 base_channels=2)
    network = build_network("unet3d", {"in_channels": len(CHANNELS), "out_channels": 2,
                                       "base_channels": 2, "levels": config.levels})
    optimizer = EagerAdamW(network.parameters(), lr=config.learning_rate)
    resume.save(config, base_record("", None), network, optimizer, None, {
        "epoch": 1, "history": [], "iterations": 3, "best": {"score": -1.0}, "trained": {},
        "judged": {"epochs": []}, "seconds": 1.0, "count": 0, "rng": None, "sampler": None})


@pytest.fixture
def resumed(monkeypatch):
    """The settings the resumed run goes on with (its held-out objects are drawn next)."""
    seen = []

    def first_step(anatomy, count, patch, **options):
        seen.append(patch)
        raise Loaded

    monkeypatch.setattr(interactive_train, "validation_objects", first_step)
    monkeypatch.setattr(interactive_train, "load_mni_anatomy", lambda: None)
    return seen


def test_resume_without_the_patch_goes_on_with_the_runs(tmp_path, capsys, resumed):
    out = tmp_path / "tinyclick"
    _checkpoint(out)

    main(["train", "--interactive", "--out", str(out), "--resume", "--threads", "1"])
    err = capsys.readouterr().err
    assert resumed == [24], err   # the checkpoint loaded, at the run's patch
    assert "made with other settings" not in err, err


def test_resume_with_another_patch_typed_is_refused_naming_it(tmp_path, capsys, resumed):
    out = tmp_path / "tinyclick"
    _checkpoint(out)

    code = main(["train", "--interactive", "--out", str(out), "--resume", "--patch", "16"])
    err = capsys.readouterr().err
    assert code == 1 and resumed == [], err
    assert err.startswith(f"neuroview: error: {out}.checkpoint: made with other settings (patch 24, "
                          "now 16): resume with the settings it was made with"), err
