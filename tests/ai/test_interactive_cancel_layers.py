"""An AI click answer abandoned with Esc stops within the network's run, between two of its layers
(``core.jobs.cancel_scope``, ``ai.interactive.model.stop_between_layers``): the next click's
answer waits for the engine (``app.prompting``), and until session 41 it waited for the whole
abandoned run (1.15 s alone, 2.1-2.7 s after an Esc on the CPU: ``bench/click_after_cancel.py``).
The bundled network, its layers slowed for the abandoned answer only."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

pytest.importorskip("torch")

from neuroview import Session  # noqa: E402
from neuroview.ai.interactive.model import NetworkPromptModel  # noqa: E402
from neuroview.ai.interactive.prompts import PointPrompt  # noqa: E402
from neuroview.app.prompting import PromptSession  # noqa: E402
from neuroview.core.errors import Cancelled  # noqa: E402
from neuroview.core.jobs import CancelToken  # noqa: E402


def test_the_next_answer_does_not_wait_for_the_abandoned_run(mni_volume):
    model = NetworkPromptModel()
    ran = []   # the thread of each layer run, in order
    first = threading.Event()

    def slow(_module, _inputs) -> None:   # after the model's own look at the token
        ran.append(threading.current_thread().name)
        if threading.current_thread().name == "abandoned":
            first.set()
            time.sleep(0.05)   # a layer of a slow machine: Esc comes meanwhile

    layers = [m for m in model.network.modules() if next(m.children(), None) is None]
    for layer in layers:
        layer.register_forward_pre_hook(slow)
    session = Session(mni_volume)
    prompts = PromptSession(session, session.segments.add("lesion").value, model)
    centre = mni_volume.ijk_to_ras @ np.append(np.asarray(mni_volume.shape[:3]) / 2 + [0, 20, 10], 1.0)
    prompts.prompts.add(PointPrompt(tuple(centre[:3]), True))
    alone = prompts.compute(1)
    assert len(ran) >= len(layers)   # at least one whole run of the network

    ran.clear()
    token, ended = CancelToken(), []

    def abandoned() -> None:
        try:
            prompts.compute(1, token)
        except Cancelled:
            ended.append("cancelled")

    worker = threading.Thread(target=abandoned, name="abandoned")
    worker.start()
    assert first.wait(30)
    token.cancel()   # Esc
    answer = prompts.compute(1)   # the next click
    worker.join(30)
    assert ended == ["cancelled"]
    assert ran.count("abandoned") <= 2 < len(layers)   # it ran a layer or two, not the run
    assert answer.box == alone.box and np.array_equal(answer.mask(), alone.mask())
