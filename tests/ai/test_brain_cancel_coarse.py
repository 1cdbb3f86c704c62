"""Cancel during brain extraction's coarse pass (the 128^3 network, and the networks' first load
before it) returns at once, as during the fine pass: until session 44 that pass ran on the
caller's thread, and Cancel (the window's worker, Ctrl+C in a script) waited for it to end."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from neuroview.ai import brain
from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken, wait_abandoned


def test_cancel_in_the_coarse_pass_does_not_wait_for_it(monkeypatch):
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def held_pass(*_args):   # a TorchScript call that holds its thread until released
        started.set()
        release.wait(30)
        ended.set()
        raise RuntimeError("dropped: the caller stopped waiting")

    monkeypatch.setattr(brain, "load_networks", lambda device: (None, None))
    monkeypatch.setattr(brain, "_box_pass", held_pass)
    token = CancelToken()
    threading.Thread(target=lambda: started.wait(30) and token.cancel(), daemon=True).start()
    try:
        with pytest.raises(Cancelled):
            brain.brain_probability_ras(np.zeros((8, 8, 8), np.float32), cancel=token)
        assert started.is_set() and not ended.is_set()   # it returned while the pass still ran
    finally:
        release.set()
        assert wait_abandoned(30)
