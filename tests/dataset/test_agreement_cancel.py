"""Cancel reaches the readers' agreement within its measures: STAPLE (SimpleITK, one C++ call of
63 s for 3 readers on a 512x512x300 grid at load 11) returns at once and the filter left behind
stops at its next iteration, and the pair
measures between two of them; without a Cancel the figures are those of the call without one."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken, wait_abandoned
from neuroview.dataset.agreement import pairwise, staple
from tests.cancel_after import CancelAfter


@pytest.fixture(scope="module")
def masks():
    rng = np.random.default_rng(3)
    base = np.zeros((40, 48, 36), bool)
    base[10:30, 12:36, 8:28] = True
    return {name: base ^ (rng.random(base.shape) < 0.05) for name in ("ann", "bob", "cat")}


def test_staple_stops_at_the_iteration_after_cancel(masks, monkeypatch):
    import SimpleITK as sitk

    whole = staple(masks)
    token, iterations = CancelToken(), []

    class Counted(sitk.STAPLEImageFilter):   # its iterations counted, Cancel at the third
        def __init__(self) -> None:
            super().__init__()
            self.AddCommand(sitk.sitkIterationEvent, self.iterated)

        def iterated(self) -> None:
            iterations.append(1)
            if len(iterations) == 3:
                token.cancel()

    monkeypatch.setattr(sitk, "STAPLEImageFilter", Counted)
    with pytest.raises(Cancelled):
        staple(masks, cancel=token)
    assert wait_abandoned(30)
    assert len(iterations) == 3   # the third aborted it
    monkeypatch.undo()
    kept = staple(masks, cancel=CancelToken())
    np.testing.assert_array_equal(kept.mask, whole.mask)
    assert kept.sensitivity == whole.sensitivity and kept.specificity == whole.specificity


def test_cancel_returns_while_the_filter_runs(masks, monkeypatch):
    """The caller does not wait for the filter's iteration (seconds each on a CT's grid)."""
    import SimpleITK as sitk

    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    class Held(sitk.STAPLEImageFilter):   # an iteration that holds until released
        def Execute(self, *args):   # noqa: N802 - SimpleITK's name
            started.set()
            release.wait(30)
            ended.set()
            return super().Execute(*args)

    monkeypatch.setattr(sitk, "STAPLEImageFilter", Held)
    token = CancelToken()
    threading.Thread(target=lambda: started.wait(30) and token.cancel(), daemon=True).start()
    try:
        with pytest.raises(Cancelled):
            staple(masks, cancel=token)
        assert started.is_set() and not ended.is_set()
    finally:
        release.set()
        assert wait_abandoned(30)


def test_pairwise_stops_between_measures(masks):
    token = CancelAfter(2)   # after the first pair's Dice
    with pytest.raises(Cancelled):
        pairwise(masks, (1.0, 1.0, 1.0), cancel=token)
    assert token.looks == 2
    assert pairwise(masks, (1.0, 1.0, 1.0), cancel=CancelToken()) == pairwise(masks, (1.0, 1.0, 1.0))
