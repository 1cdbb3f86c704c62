"""Progress reporting and cancellation for long work (load, inference, training, export).

Long functions take ``progress: ProgressFn | None`` and ``cancel: CancelToken | None``. They call
``report(progress, done, total, text)`` between units of work and ``check(cancel)`` where stopping is
safe. ``ui/workers.py`` runs them off the GUI thread; the CLI passes a text progress bar.
"""

from __future__ import annotations

import threading
from typing import Callable, Optional

from .errors import Cancelled

ProgressFn = Callable[[float, float, str], None]
"""``progress(done, total, text)``: ``done`` out of ``total`` units, with a short description."""


class CancelToken:
    """Thread-safe flag set by the user; checked by the worker between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def check(cancel: Optional[CancelToken]) -> None:
    """Raise :class:`Cancelled` if ``cancel`` was set."""
    if cancel is not None:
        cancel.raise_if_cancelled()


def report(progress: Optional[ProgressFn], done: float, total: float, text: str = "") -> None:
    """Call ``progress`` if one was given."""
    if progress is not None:
        progress(done, total, text)
