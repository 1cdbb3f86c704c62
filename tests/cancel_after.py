"""A cancel token that counts its looks, for the tests of where long work looks at Cancel."""

from __future__ import annotations

from neuroview.core.errors import Cancelled
from neuroview.core.jobs import CancelToken


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
