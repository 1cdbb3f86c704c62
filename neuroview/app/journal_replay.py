"""Giving back a session's edits after a crash or a close without saving: replay the workspace journal.

The journal (``core.journal``) holds the label map stored at the last compaction (the base) and
then every committed step, undo and redo since. :func:`replay_journal` rebuilds the label map, the
segment table and the undo history from them, as they were after the last intact record;
``app.session.Session`` calls it when it opens a workspace with content. :func:`apply_step` is the
one way a step's diff and segment change are applied forwards or backwards, shared by the replay
and the session's undo and redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.journal import Journal, WorkspaceError
from ..core.labels import LabelMap, SegmentTable, as_label_array
from ..core.undo import History, Step
from .label_counts import LabelCounts


def apply_step(labels: LabelMap, counts: LabelCounts, step: Step, forward: bool) -> None:
    """Redo (``forward``) or undo ``step`` on ``labels``, keeping ``counts`` up to date."""
    if step.diff is not None:
        values = step.diff.new if forward else step.diff.old
        if values.size:
            labels.ensure_capacity(int(values.max()))
        (step.diff.redo if forward else step.diff.undo)(labels.array)
        counts.apply(step.diff, forward)
    table = step.segments_after if forward else step.segments_before
    if table is not None:
        labels.segments = labels.segments.restored(table)


@dataclass
class Replay:
    """What a replay gave back besides the voxels and the history."""

    restored_steps: int
    """Records replayed, plus one for the base (what :func:`journal_steps` offered)."""
    editing_seconds: float
    """The case's editing time written with the last record (or the base)."""
    next_step_id: int
    """The first step id not used in the journal."""
    journaled: set[int] = field(default_factory=set)
    """Ids of the steps stored in the current journal file."""


def replay_journal(journal: Journal, labels: LabelMap, counts: LabelCounts, history: History) -> Replay:
    """Rebuild ``labels`` (array and segment table) and ``history`` from ``journal``.

    Raises :class:`WorkspaceError` when the stored label map does not fit the image.
    """
    base = journal.load_base()
    if base is not None:
        array, table = base
        if array.shape != labels.shape:
            raise WorkspaceError("the saved label map does not fit the image", path=journal.base_path)
        labels.array = as_label_array(array)
        counts.invalidate()
        labels.segments = SegmentTable.from_list(table)
    done: list[int] = []   # journal offsets of applied steps (the replay's undo stack)
    undone: list[int] = []
    count = 0
    next_id = 1
    journaled: set[int] = set()
    seconds = journal.base_editing_seconds
    for record in journal.records():
        count += 1
        if record.editing_seconds is not None:
            seconds = record.editing_seconds
        if record.step is not None:
            journaled.add(record.step_id)
        if record.kind in ("undo", "redo") and record.step is not None:
            # A step from before the last compaction: its diff travels in the record.
            history.clear()
            forward = record.kind == "redo"
            apply_step(labels, counts, record.step, forward=forward)
            (done if forward else undone).append(record.offset)
        elif record.kind == "step":
            apply_step(labels, counts, record.step, forward=True)
            done.append(record.offset)
            undone.clear()
            history.push(record.step)
        elif record.kind in ("undo", "redo") and (undone if record.kind == "redo" else done):
            forward = record.kind == "redo"
            taken, given = (undone, done) if forward else (done, undone)
            offset = taken.pop()
            step = history.pop_redo() if forward else history.pop_undo()
            if step is None or step.step_id != record.step_id:
                step = journal.read_step(offset)
                history.clear()
            apply_step(labels, counts, step, forward=forward)
            given.append(offset)
        next_id = max(next_id, record.step_id + 1)
    return Replay(count + (1 if base is not None else 0), seconds, next_id, journaled)


def journal_steps(journal: Journal) -> int:
    """What a restore gives back, counted one way for the offer and the result: every intact
    journal record (step, undo, redo), plus one for the label map stored at the last compaction."""
    return sum(1 for _ in journal.records()) + (1 if journal.load_base() is not None else 0)
