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

A compaction (*Save labels*, a long journal) stores the label map as a base and the history
before it leaves the journal: every Apply in force then (each segment's latest, its step still
undoable) is kept in the workspace's ``adjudicated.json`` with the base's generation
(:func:`keep_marks`), and a restore from that base reads them back (:func:`recall_marks`;
``Session.adjudicated_base``). Until session 40 only the latest Apply was kept: a segment an
earlier Apply filled read ``drawn`` after the restore, and its plan was deleted at the next save.

Each segment's *From* reads the Apply in force that filled it (:func:`segment_marks`): until
session 39 only the latest Apply counted, so Ctrl+Z of a second Apply left the lesion the first
one made reading ``drawn``, and a segment an earlier Apply filled read its old origin.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ..core.atomic import write_text_atomic
from ..core.jsonfile import read_json
from ..core.labels import Segment, SegmentTable
from ..core.undo import Step
from .adjudicated_file import META as FILE_META

MARK_FILE = "adjudicated.json"
META = "adjudicated"
"""The key of a step's ``meta``: ``{"value": V, "adjudicator": "Sam Senior"}``."""


def adjudication_meta(value: int, adjudicator: str, plan: str = "") -> dict:
    """The ``meta`` of the step that puts the adjudicated mask into segment ``value``; ``plan``:
    the token of the plan kept beside the journal (``app.adjudication_record``)."""
    return {META: {"value": int(value), "adjudicator": str(adjudicator), "plan": str(plan)}}


def as_persons(segment: Segment) -> Segment:
    """``segment`` as the adjudicated mask makes it: a person's outline, no model's."""
    return dataclasses.replace(segment, origin="human", model="", prompts={}, file="", drawn=False)


def last_adjudication(steps: Iterable[Step]) -> Optional[tuple[int, int, str]]:
    """``Session.adjudicated`` as the restored history gives it back: the latest *Apply* among
    ``steps`` (the undo and redo stacks: ids grow with each step), ``None`` without one."""
    found = [step for step in steps if isinstance(step.meta.get(META), dict)]
    return _mark_of(max(found, key=lambda s: s.step_id)) if found else None


def file_marks(step: Step) -> list[tuple]:
    """The marks a *Load labels* ``step`` brought from its file's sidecar (``app.adjudicated_file``):
    ``(step id, value, adjudicator, was, plan, drawn)``, ``was`` :data:`MADE_BY_APPLY` (the
    tooltip says who adjudicated), no plan, ``drawn`` as saved."""
    kept = step.meta.get(FILE_META)
    marks = []
    for item in kept if isinstance(kept, list) else []:
        try:
            marks.append((step.step_id, int(item["value"]), str(item["by"]), MADE_BY_APPLY, "",
                          bool(item.get("drawn"))))
        except (KeyError, TypeError, ValueError, OverflowError):
            continue
    return marks


def _mark_of(step: Step) -> Optional[tuple[int, int, str]]:
    marked = step.meta.get(META)
    try:
        return step.step_id, int(marked["value"]), str(marked.get("adjudicator") or "")
    except (KeyError, TypeError, ValueError, OverflowError, AttributeError):   # sealed again by hand
        return None


def segment_marks(undo_steps, marked=None, base=()) -> dict[int, tuple]:
    """By segment value, the Apply in force that filled it: the latest Apply step among
    ``undo_steps`` naming it, else ``marked`` (``Session.adjudicated``: an Apply that made no step
    of its own) when its step is among them, else the mark of ``base`` naming it (the marks kept
    with a compacted base the history starts from). One pass over the history, for every segment
    of the list; oldest Apply first. A step that removes the segment ends its mark: a segment
    drawn afterwards with the freed value read "adjudicated by ..." until session 40; so does a
    *Load labels* that changes its voxels (:func:`_replaces`)."""
    steps = list(undo_steps)
    found: dict[int, tuple] = {}

    def put(mark) -> None:
        found.pop(mark[1], None)   # a later Apply of the segment: after the others
        found[mark[1]] = mark

    for mark in base:
        put(mark)
    if marked is not None and marked[0] is not None and marked[0] in {step.step_id for step in steps}:
        put(marked)
    for step in steps:
        for value in [v for v in found if _removes(step, v) or _replaces(step, v)]:
            del found[value]
        if isinstance(step.meta.get(META), dict):
            mark = _mark_of(step)
            if mark is not None:
                put(mark)
        for mark in file_marks(step):   # a label file saved adjudicated, loaded again
            put(mark)
    return found


def _replaces(step: Step, value: int) -> bool:
    """Whether ``step`` is a *Load labels* (no Apply) that changed voxels of segment ``value``:
    the file's voxels replace the adjudicated ones, which read ``adjudicated`` still until
    session 40 (its own marks, if it has any, come back with it: :func:`file_marks`)."""
    diff = step.diff
    return step.name == "load_labels" and not isinstance(step.meta.get(META), dict) and diff is not None \
        and bool(np.any(diff.old == value) or np.any(diff.new == value))


def _removes(step: Step, value: int) -> bool:
    """Whether the segment table after ``step`` (a delta of the segments it touched, or a whole
    table) lacks segment ``value``; False where it cannot be read."""
    after = step.segments_after
    try:
        if isinstance(after, dict):
            delta = after["delta"]
            return str(value) in delta and delta[str(value)] is None
        return isinstance(after, list) and not _holds(after, value)
    except (KeyError, TypeError, AttributeError):
        return False


def segment_before(step: Optional[Step], value: int) -> Optional[Segment]:
    """Segment ``value`` as it was before ``step`` (the *From* tooltip's "was ..."), if it held it."""
    if step is None or not isinstance(step.segments_before, list):
        return None
    try:
        return SegmentTable.from_list(step.segments_before).segments.get(value)
    except (KeyError, TypeError, ValueError):   # a delta of a few segments: not a whole table
        return None


def keep_marks(workspace, generation: int, undo_steps: Iterable[Step], marked=None, base=()) -> None:
    """After a compaction to ``generation``: keep every Apply in force (:func:`segment_marks` of
    ``undo_steps``, ``marked`` and the ``base`` marks: each segment's latest, oldest first), or
    forget them when none is. A failed write loses only the marks after a restore."""
    path = Path(workspace) / MARK_FILE
    steps = list(undo_steps)
    by_id = {s.step_id: s for s in steps}
    marks = list(segment_marks(steps, marked, base).values())
    try:
        if not marks:
            path.unlink(missing_ok=True)
            return
        kept = [{"value": int(mark[1]), "adjudicator": str(mark[2]),
                 "was": was_made_by(mark, by_id.get(mark[0])), "plan": plan_of(mark, by_id.get(mark[0])),
                 **({"drawn": bool(mark[5])} if len(mark) > 5 else {})}
                for mark in marks]
        write_text_atomic(path, json.dumps({"generation": int(generation), "marks": kept}))
    except OSError:
        pass


MADE_BY_APPLY = "(made by the Apply)"
"""What :func:`was_made_by` says of a segment the Apply itself made (no ``lesion`` segment
before it): the *From* tooltip says who adjudicated it, with no "was ...". It said "(was drawn)",
the new segment's own ``made_by``, though nobody drew it."""


def was_made_by(marked, step: Optional[Step]) -> str:
    """Who made the segment ``marked`` names before its Apply ``step`` (``Segment.made_by``: the
    *From* tooltip's "was ..."), :data:`MADE_BY_APPLY` where the step made it; as kept with the
    base when the step is before it; "" unknown. A label file's mark (:func:`file_marks`) says
    :data:`MADE_BY_APPLY`: who made it before the Apply is not in the file."""
    if len(marked) > 5:
        return marked[3]
    before = segment_before(step, marked[1])
    if before is not None:
        return before.made_by
    table = step.segments_before if step is not None else None
    if isinstance(table, list) and not _holds(table, marked[1]):
        return MADE_BY_APPLY
    return marked[3] if len(marked) > 3 else ""


def _holds(table: list, value: int) -> bool:
    """Whether the segment table ``table`` (a step's list of segments) has a segment ``value``;
    True where it cannot be read (not taken for a new segment)."""
    try:
        return any(int(item["value"]) == int(value) for item in table)
    except (KeyError, TypeError, ValueError):
        return True


def plan_of(marked, step: Optional[Step]) -> str:
    """The token of the plan (``app.adjudication_record``) the Apply of ``marked`` named."""
    named = step.meta.get(META) if step is not None else None
    if isinstance(named, dict):
        return str(named.get("plan") or "")
    return str(marked[4]) if step is None and len(marked) > 4 else ""


def recall_marks(workspace, generation: int) -> tuple[tuple[None, int, str, str, str], ...]:
    """The marks :func:`keep_marks` kept with ``generation``'s base, oldest first (no step: each
    holds from the base on; who made the segment before, and the token of its plan); none
    without them, or for another generation's. Session 39's file of one mark is read too."""
    try:
        data = read_json(Path(workspace) / MARK_FILE)
        if data.get("generation") != generation:
            return ()
        kept = data["marks"] if "marks" in data else [data]   # one mark: session 39's
        return tuple((None, int(item["value"]), str(item.get("adjudicator") or ""),
                      str(item.get("was") or ""), str(item.get("plan") or ""),
                      *((bool(item["drawn"]),) if "drawn" in item else ())) for item in kept)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return ()
