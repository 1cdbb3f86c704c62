"""The case's active editing time: gaps between edits counted up to a limit (a coffee break
does not count), the model's runs left out."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Callable, Optional

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
        self.last_edit_at: Optional[str] = None
        """When the labels were last edited in this window (UTC ISO 8601; None: not yet), the
        training set's ``corrected_at`` (it recorded the time of sending)."""
        self._skipped = False

    def tick(self, edit: bool = True) -> None:
        """Count the time since the last tick; ``edit``: the labels changed now."""
        now = self._clock()
        self.seconds += min(max(now - self._last, 0.0), IDLE_SECONDS)
        self._last = now
        if edit and not self._skipped:
            self.last_edit_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat() \
                .replace("+00:00", "Z")
        self._skipped = False

    def skip(self) -> None:
        """The time since the last tick was not the person's (a model ran): not counted; nor is
        the next tick, the model's result or the loaded file committed, an edit of the person's."""
        self._last = self._clock()
        self._skipped = True


def hand_edit_count(steps) -> int:
    """The edits by hand among the undo ``steps`` (those kept: Ctrl+Z's are not among them):
    each step that changed voxels, other than a model's result, a label file's load (an
    adjudicator's Apply is one) or an AI click object (``interaction`` counts its prompts). The
    training set's ``hand_edits``, beside ``editing_seconds``: until session 42 nothing recorded
    how many corrections a case took."""
    from .prompting import TOOL_NAME

    not_by_hand = {"model", "load_labels", TOOL_NAME}
    return sum(1 for step in steps if step.diff is not None and step.name not in not_by_hand)
