"""Cancel reaches the readers' agreement within its measures: STAPLE (SimpleITK, one C++ call of
63 s for 3 readers on a 512x512x300 grid at load 11) stops at its next iteration, and the pair
measures between two of them; without a Cancel the figures are those of the call without one."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken
from neuroview.dataset.agreement import pairwise, staple


class CancelAfter(CancelToken):
    """A token that reads as cancelled from its ``n``-th look on (counting the looks)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n, self.looks = n, 0

    @property
    def cancelled(self) -> bool:
        self.looks += 1
        return self.looks >= self.n or super().cancelled

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


@pytest.fixture(scope="module")
def masks():
    rng = np.random.default_rng(3)
    base = np.zeros((40, 48, 36), bool)
    base[10:30, 12:36, 8:28] = True
    return {name: base ^ (rng.random(base.shape) < 0.05) for name in ("ann", "bob", "cat")}


def test_staple_stops_at_the_iteration_after_cancel(masks):
    whole = staple(masks)
    token = CancelAfter(3)
    with pytest.raises(Cancelled):
        staple(masks, cancel=token)
    assert token.looks == 4   # 3 iterations looked (the third aborted), then the look after it
    kept = staple(masks, cancel=CancelToken())
    np.testing.assert_array_equal(kept.mask, whole.mask)
    assert kept.sensitivity == whole.sensitivity and kept.specificity == whole.specificity


def test_pairwise_stops_between_measures(masks):
    token = CancelAfter(2)   # after the first pair's Dice
    with pytest.raises(Cancelled):
        pairwise(masks, (1.0, 1.0, 1.0), cancel=token)
    assert token.looks == 2
    assert pairwise(masks, (1.0, 1.0, 1.0), cancel=CancelToken()) == pairwise(masks, (1.0, 1.0, 1.0))
