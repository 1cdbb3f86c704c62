"""The readers' *Apply to label map* as a step of the undo history: what it writes into the
step, so that the crash journal keeps it, and what a restore reads back.

The step's ``meta`` names the segment value it filled and the adjudicator (as people read the
name: ``Sam Senior``; a person of the staff, never the patient), so that after a crash *Restore*
gives back ``Session.adjudicated`` and the segment list's *From* column reads ``adjudicated``
again (it read the lesion's origin before the Apply, ``tiny@1.0``, until session 37: the mark
was kept in memory only). The segment it fills becomes a person's (``origin`` ``human``, no
model, no AI click prompts, no file) in the same step: the readers' outlines an adjudicator chose
are no model's, so a DICOM SEG says MANUAL, "user-entered segment" (PS3.3 C.8.20.4, Segment
Algorithm Type), not AUTOMATIC with the model's name as before session 37; Ctrl+Z gives the
segment as it was back.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

from ..core.labels import Segment, SegmentTable
from ..core.undo import Step

META = "adjudicated"
"""The key of a step's ``meta``: ``{"value": V, "adjudicator": "Sam Senior"}``."""


def adjudication_meta(value: int, adjudicator: str) -> dict:
    """The ``meta`` of the step that puts the adjudicated mask into segment ``value``."""
    return {META: {"value": int(value), "adjudicator": str(adjudicator)}}


def as_persons(segment: Segment) -> Segment:
    """``segment`` as the adjudicated mask makes it: a person's outline, no model's."""
    return dataclasses.replace(segment, origin="human", model="", prompts={}, file="", drawn=False)


def last_adjudication(steps: Iterable[Step]) -> Optional[tuple[int, int, str]]:
    """``Session.adjudicated`` as the restored history gives it back: the latest *Apply* among
    ``steps`` (the undo and redo stacks: ids grow with each step), ``None`` without one."""
    found = [step for step in steps if isinstance(step.meta.get(META), dict)]
    if not found:
        return None
    step = max(found, key=lambda s: s.step_id)
    marked = step.meta[META]
    try:
        return step.step_id, int(marked["value"]), str(marked.get("adjudicator", ""))
    except (KeyError, TypeError, ValueError):   # a record sealed again by hand: no mark
        return None


def segment_before(step: Optional[Step], value: int) -> Optional[Segment]:
    """Segment ``value`` as it was before ``step`` (the *From* tooltip's "was ..."), if it held it."""
    if step is None or not isinstance(step.segments_before, list):
        return None
    try:
        return SegmentTable.from_list(step.segments_before).segments.get(value)
    except (KeyError, TypeError, ValueError):   # a delta of a few segments: not a whole table
        return None
