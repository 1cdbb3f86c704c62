"""``core.stoppable``: a library call within ``stoppable()`` of a step that ``jobs.abandonable``
runs stops as the caller gives up, by Cancel or by Ctrl+C (no token set), and the step sees it
gave up (``abandoned``); off such a step the block does nothing."""

from __future__ import annotations

import _thread
import threading
import time

import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import abandonable, wait_abandoned
from neuroview.core.stoppable import abandoned, stoppable


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_off_a_step_the_block_does_nothing():
    with stoppable():
        _busy(0.01)
    assert not abandoned()


def test_ctrl_c_stops_the_library_call_and_the_step_knows():
    seen: dict = {}
    started = threading.Event()

    def step():
        started.set()
        try:
            with stoppable():
                _busy(10.0)
        except Cancelled:
            seen["stopped"] = time.perf_counter()
        seen["abandoned"] = abandoned()
        with pytest.raises(Cancelled):   # a later block of the step stops at its start
            with stoppable():
                seen["ran"] = True

    def ctrl_c():
        started.wait(30)
        seen["sent"] = time.perf_counter()
        _thread.interrupt_main()

    threading.Thread(target=ctrl_c, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        abandonable(step, None, "test step")
    assert wait_abandoned(10)
    # 10 s of work stopped: 5 s for a loaded machine (0.5 s until session 45)
    assert seen["stopped"] - seen["sent"] < 5.0
    assert seen["abandoned"] and "ran" not in seen


def test_a_step_not_given_up_runs_its_block_to_the_end():
    def step():
        with stoppable():
            _busy(0.05)
        return abandoned()

    assert abandonable(step, None, "test step") is False
