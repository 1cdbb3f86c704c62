"""Giving back a session's edits after a crash or a close without saving: replay the workspace journal.

The journal (``core.journal``) holds the label map stored at the last compaction (the base) and
then every committed step, undo and redo since, and where the steps undone were forgotten
without a new step (a ruler drawn: a ``drop`` record). :func:`replay_journal` rebuilds the label map, the
segment table and the undo history from them, as they were after the last intact record (a
damaged record in the middle is skipped and the records after it replayed: see ``Replay.lost``);
``app.session.Session`` calls it when it opens a workspace with content. :func:`apply_step` is the
one way a step's diff and segment change are applied forwards or backwards, shared by the replay
and the session's undo and redo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from ..core.errors import Cancelled
from ..core.jobs import CancelToken
from ..core.journal import Journal, WorkspaceError
from ..core.labels import LabelMap, SegmentTable, as_label_array
from ..core.undo import DEFAULT_MAX_BYTES, DEFAULT_MAX_STEPS, History, Step
from .label_counts import LabelCounts
from .restore_counts import Restorable, cut_words


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

    restorable: Restorable
    """The edits given back and lost (what :func:`recovery` offered)."""
    editing_seconds: float
    """The case's editing time written with the last record (or the base)."""
    next_step_id: int
    """The first step id not used in the journal."""
    journaled: set[int] = field(default_factory=set)
    """Ids of the steps stored in the current journal file."""

    @property
    def restored_steps(self) -> int:
        """Records replayed, plus one for the base."""
        return self.restorable.records

    @property
    def lost(self) -> int:
        """Edits lost to damage (``Restorable.lost``)."""
        return self.restorable.lost


class _Stacks:
    """The replay's undo and redo stacks, as ``(journal offset, step id)``: an undo or redo
    record is replayed only if it names the step on top (after a damaged record was skipped,
    one naming a lost step would undo or redo another)."""

    def __init__(self) -> None:
        self.done: list[tuple[int, int]] = []
        self.undone: list[tuple[int, int]] = []

    def take(self, record) -> Optional[tuple[str, Optional[int]]]:
        """How ``record`` replays: ``("full", None)`` (it carries its step), ``("step", None)``,
        ``("undo"|"redo", offset of the step)``, ``("drop", None)`` (the steps undone are
        forgotten); ``None`` when it cannot be (stacks unchanged)."""
        if record.kind == "drop":
            self.undone.clear()
            return "drop", None
        if record.kind == "step":
            self.done.append((record.offset, record.step_id))
            self.undone.clear()
            return "step", None
        forward = record.kind == "redo"
        taken, given = (self.undone, self.done) if forward else (self.done, self.undone)
        if record.step is not None:   # a step from before the last compaction, carried whole
            given.append((record.offset, record.step_id))
            return "full", None
        if not taken or taken[-1][1] != record.step_id:
            return None
        offset, step_id = taken.pop()
        given.append((offset, step_id))
        return record.kind, offset


REPORT_EVERY = 64
"""A replay tells ``replayed`` how far it got every this many records (about 4 ms of replay on
the demo case); its cancel token is looked at before each record."""


def replay_journal(journal: Journal, labels: LabelMap, counts: LabelCounts, history: History,
                   replayed: Optional[Callable[[int], None]] = None,
                   cancel: Optional[CancelToken] = None) -> Replay:
    """Rebuild ``labels`` (array and segment table) and ``history`` from ``journal``.

    After damaged records (``journal.damage``) the intact ones are replayed too: each step writes
    the values it gave its voxels, so the voxels of later steps come back exactly and only those
    of the lost steps are missing. Raises :class:`WorkspaceError` when the stored label map does
    not fit the image.

    ``replayed(n)``: called every :data:`REPORT_EVERY` records and at the end, ``n`` counted as
    ``Restorable.records`` counts them (the offer's count is the total). ``cancel``: looked at
    before each record; :class:`~neuroview.core.errors.Cancelled` leaves ``labels`` and ``history`` half
    rebuilt (the caller drops them) and the workspace as it was: the replay writes nothing.
    """
    base = journal.load_base()
    if base is not None:
        array, table = base
        if array.shape != labels.shape:
            raise WorkspaceError("the saved label map does not fit the image",
                                 path=journal.named(journal.base_path))
        labels.array = as_label_array(array)
        counts.invalidate()
        labels.segments = SegmentTable.from_list(table)
    walk = _walk(journal, history, base is not None,
                 lambda step, forward: apply_step(labels, counts, step, forward), replayed, cancel)
    if walk.restorable.lost:
        counts.invalidate()   # a step's old values were not what the voxels held
        _name_unnamed_values(labels)
    return Replay(walk.restorable, walk.seconds, walk.next_id, walk.journaled)


def recovery(journal: Journal, history_bytes: int = DEFAULT_MAX_BYTES,
             history_steps: int = DEFAULT_MAX_STEPS, cancel: Optional[CancelToken] = None) -> Restorable:
    """What a restore would give back (:func:`replay_journal`'s count, by the same walk of the
    records into a history of the same bounds), without touching a label map. Raises
    :class:`WorkspaceError` when the stored label map cannot be read, and
    :class:`~neuroview.core.errors.Cancelled` when ``cancel`` is set (looked at between records;
    the walk only reads, so the journal is as it was)."""
    has_base = journal.load_base() is not None
    return _walk(journal, History(history_bytes, history_steps), has_base, None,
                 cancel=cancel).restorable


@dataclass
class _Walk:
    restorable: Restorable
    seconds: float
    next_id: int
    journaled: set[int]


@dataclass
class _Counted:
    """A step as a count-only walk keeps it in its history: its id and size (the history's
    bounds read them), not its voxels."""

    step_id: int
    nbytes: int


def _walk(journal: Journal, history: History, has_base: bool,
          apply: Optional[Callable[[Step, bool], None]],
          replayed: Optional[Callable[[int], None]] = None, cancel: Optional[CancelToken] = None) -> _Walk:
    """Replay the records into ``history`` and, with ``apply``, onto the labels; without it the
    history holds :class:`_Counted` stand-ins, for a count before the restore. ``replayed`` and
    ``cancel``: see :func:`replay_journal`."""
    def kept(step: Step):
        return step if apply is not None else _Counted(step.step_id, step.nbytes)

    stacks = _Stacks()
    count = 0
    skipped_ids: set[int] = set()   # steps named by an undo/redo that could not be replayed
    next_id = 1
    journaled: set[int] = set()
    seconds = journal.base_editing_seconds
    base = 1 if has_base else 0
    records = journal.records()
    for walked, record in enumerate(records, 1):
        if cancel is not None and cancel.cancelled:   # between two records: stop at once
            records.close()                           # (the journal file closed)
            raise Cancelled()
        if walked % REPORT_EVERY == 0 and replayed is not None:
            replayed(count + base)
        if record.editing_seconds is not None:
            seconds = record.editing_seconds
        if record.step is not None:
            journaled.add(record.step_id)
        next_id = max(next_id, record.step_id + 1)
        how = stacks.take(record)
        if how is None:
            skipped_ids.add(record.step_id)
            continue
        kind, offset = how
        if kind == "drop":   # not a step: not counted among those restored
            history.drop_redo()
            continue
        count += 1
        forward = record.kind != "undo"
        if kind == "full":
            # a step from before the last compaction: the history goes on from it when it is
            # the next one to undo (redo) in the history so far, i.e. that one holds nothing to
            # undo (redo) yet; else (records lost) it starts again here
            if apply is not None:
                apply(record.step, forward)
            if forward and not history.can_redo:
                history.push(kept(record.step))
            elif not forward and not history.can_undo:
                history.push_undone(kept(record.step))
            else:
                history.clear()
        elif kind == "step":
            if apply is not None:
                apply(record.step, True)
            history.push(kept(record.step))
        else:
            step = history.pop_redo() if forward else history.pop_undo()
            if step is None or step.step_id != record.step_id:
                history.clear()
                if apply is not None:
                    step = journal.read_step(offset)
            if apply is not None:
                apply(step, forward)
    # an undo or redo of a lost step is lost with it (counted once, as the damaged record); one
    # of a step kept leaves that edit as it was not left
    lost = journal.lost_records + len(skipped_ids & journaled)
    if replayed is not None:
        replayed(count + base)
    cut = None if journal.cut is None else cut_words(journal.cut.kind, journal.cut.name)
    restorable = Restorable(len(history.undo_steps), len(history.redo_steps), lost, count + base, cut,
                            never_saved=journal.ever_saved is False)
    return _Walk(restorable, seconds, next_id, journaled)


def _name_unnamed_values(labels: LabelMap) -> None:
    """Give a segment to each label value the voxels hold that the table lacks (the step that
    added it was lost), so that the voxels of later steps show and can be edited."""
    present = np.flatnonzero(np.bincount(labels.array.ravel()))   # labels are uint8/uint16
    missing = [int(v) for v in present if v and int(v) not in labels.segments]
    if missing:
        table = labels.segments.copy()
        for value in missing:
            table.add(f"Segment {value}", value=value)
        labels.segments = table
