"""``core.jobs.abandonable``: a step that cannot stop midway (importing torch, reading weights)
runs on a thread of its own; its caller gets its result or its error, and on cancel stops waiting
at once while the step runs on, its result dropped (the AI click's model load at a window's
close: ``tests/ui/test_ai_click_close_loading.py``)."""

from __future__ import annotations

import threading
import time

import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken, abandonable, abandoned_running, wait_abandoned


def test_the_caller_gets_the_steps_result_or_its_error():
    assert wait_abandoned(10)   # steps an earlier test in this process gave up (a cancelled search)
    assert abandonable(lambda: 6 * 7, CancelToken(), "answer") == 42
    with pytest.raises(ZeroDivisionError):
        abandonable(lambda: 1 / 0, None, "broken")
    assert not abandoned_running()


def test_a_cancel_stops_the_wait_at_once_and_the_step_runs_to_its_end():
    cancel, release, ended = CancelToken(), threading.Event(), []

    def step():
        release.wait(10)
        ended.append(time.monotonic())
        return "dropped"

    threading.Timer(0.2, cancel.cancel).start()
    with pytest.raises(Cancelled):
        abandonable(step, cancel, "held step")
    assert abandoned_running() and not ended   # the wait stopped while the step was held
    release.set()
    assert wait_abandoned(5) and len(ended) == 1


def test_a_step_that_ends_as_it_is_cancelled_is_dropped_too():
    """Its error came through when it ended between two looks at the token (an AI click answer
    failing just after Esc was said, or not, by chance)."""
    cancel, release = CancelToken(), threading.Event()

    def step():
        release.wait(10)
        cancel.cancel()      # the user's cancel and the step's end, at once
        raise MemoryError("the GPU's")

    threading.Timer(0.1, release.set).start()
    with pytest.raises(Cancelled):
        abandonable(step, cancel, "failing step")
    assert wait_abandoned(5)


class Held:
    """An object that records which thread let it go (a tensor freed in torch's C++ code)."""

    def __init__(self, freed: list) -> None:
        self.freed = freed

    def __del__(self) -> None:
        self.freed.append(threading.current_thread().name)


@pytest.mark.parametrize("ends", ["returns", "raises"])
def test_an_abandoned_step_lets_go_of_what_it_holds_on_its_own_thread_before_it_ends(ends):
    """Its closure and its result (or error) are let go on the step's thread before the step
    counts as ended: an abandoned brain pass's tensors let go later, as the process exited
    (``wait_abandoned`` at exit had returned), aborted it ('terminate called without an active
    exception', ``bench/cancel_stretches.py --steps brain --at 0.02,0.05,0.1``)."""
    cancel, release, freed = CancelToken(), threading.Event(), []
    held = Held(freed)

    def step(held=held):
        release.wait(10)
        made = Held(freed)
        if ends == "raises":
            raise RuntimeError(made)
        return made

    threading.Timer(0.1, cancel.cancel).start()
    with pytest.raises(Cancelled):
        abandonable(step, cancel, "held step")
    del held, step
    assert freed == []
    release.set()
    assert wait_abandoned(5)
    assert freed == ["held step", "held step"]
