"""One tiny interactive fine-tune (``train --interactive --base``) for the tests of its base rule
and of its resume's base check."""

from __future__ import annotations

import itertools
import types

import pytest

from neuroview.ai.interactive import train as interactive_train


def fine_tune(base, out, keep_worse: bool, resume: bool = False):
    """One epoch of one step at learning rate 0 from ``base``: (the package or the error, log lines)."""
    config = interactive_train.InteractiveConfig(
        out=out, name="tinyclick", version="1.1.0", minutes=0.015 / 60, iterations_per_epoch=1,
        batch_size=1, patch=16, levels=2, learning_rate=0.0, threads=1, validation_objects=2,
        corrective_clicks=0, base=str(base), keep_worse=keep_worse, resume=resume)
    clock = itertools.count(0.0, 0.01)
    lines = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(interactive_train, "time", types.SimpleNamespace(monotonic=lambda: next(clock)))
        patch.setattr(interactive_train, "measure_card", lambda folder, log: {})   # 24 test objects
        try:
            return interactive_train.train_interactive(config, log=lines.append), lines
        except Exception as error:   # noqa: BLE001 - the test says which
            return error, lines
