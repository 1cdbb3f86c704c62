"""The case's active editing time: gaps between edits counted up to a limit (a coffee break
does not count), the model's runs left out."""

from __future__ import annotations

import time
from typing import Callable

IDLE_SECONDS = 120.0
"""A pause between two edits counts as editing time up to this long (a coffee break does not)."""


class EditClock:
    """Active editing time: from opening the case, every gap between two edits counted up to
    :data:`IDLE_SECONDS`. The time of earlier sessions on the same workspace (restored from its
    journal) is added on opening."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last = clock()
        self.seconds = 0.0

    def tick(self) -> None:
        now = self._clock()
        self.seconds += min(max(now - self._last, 0.0), IDLE_SECONDS)
        self._last = now

    def skip(self) -> None:
        """The time since the last tick was not the person's (a model ran): not counted."""
        self._last = self._clock()
