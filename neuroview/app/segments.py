"""``Session.segments``: add, remove, rename, recolour, hide, lock, each one undoable step.

Every change goes through the session's history and journal, so a restored workspace has the
same names, colours, visibility and locks. Segments can be named by :class:`Segment`, label value
or name.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional, Protocol

import numpy as np

from ..core.edit.base import mask_box
from ..core.errors import LabelMapError
from ..core.labels import LabelMap, Segment, name_too_long
from ..core.undo import box_slices
from .adjudicated_step import MADE_BY_APPLY, segment_marks, was_made_by


class EditingSession(Protocol):
    """What :class:`Segments` needs of ``app.session.Session`` (so neither imports the other)."""

    labels: LabelMap
    active_segment: Optional[int]
    counts: Any   # app.label_counts.LabelCounts
    history: Any   # core.undo.History
    adjudicated: Optional[tuple[Optional[int], int, str]]   # the readers' Apply: Session's word
    adjudicated_base: tuple   # the Applies kept with a restored compacted base
    version: int   # changes with every commit, undo, redo and restore

    def _commit(self, name: str, diff, before: list, meta: dict) -> Any: ...

    def _write_region(self, name: str, lo, region: np.ndarray, meta: dict, before=None) -> Any: ...


class Segments:
    def __init__(self, session: EditingSession):
        self._session = session
        self._shown: dict[int, tuple[str, str]] = {}
        """By label value: the file a load gave the segment (its record's name) and what the window
        calls that file (a SEG's series description and reader), in memory only: no record
        keeps a description or a person's name (a restore finds the SEG again by the
        fingerprint of its file name the workspace keeps: ``app.seg_recall``)."""
        self._marks: tuple = (None, {})
        """(what the history was: version and marks, the Apply in force by segment value): one
        pass over a history of up to 10,000 steps per change, not one per segment shown."""

    def shown_file(self, value: int, file: str, shown: str) -> None:
        """Say what the *From* column calls the file ``file`` a load gave segment ``value``."""
        if shown and shown != file:
            self._shown[int(value)] = (file, shown)
        else:
            self._shown.pop(int(value), None)

    @property
    def table(self):
        return self._session.labels.segments

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    def __contains__(self, key) -> bool:
        try:
            self.get(key)
        except LabelMapError:
            return False
        return True

    def __getitem__(self, key) -> Segment:
        return self.get(key)

    def get(self, key) -> Segment:
        """A segment by :class:`Segment`, label value or name."""
        if isinstance(key, Segment):
            key = key.value
        if isinstance(key, str):
            return self.table.by_name(key)
        return self.table.get(int(key))

    def _change(self, name: str, mutate, value: Optional[int] = None, clear_value: Optional[int] = None):
        """Apply ``mutate`` to the table as one undo step recording only the segment it touches
        (``value``; for an add, the new one), so a step costs the same in a table of 2,000."""
        session = self._session
        before = None if value is None else self.table.delta([value])
        result = mutate()
        if value is None:
            value = result.value
            before = {"delta": {str(value): None}}
        after = self.table.delta([value])
        if clear_value is not None:
            array = session.labels.array
            box = mask_box(array == clear_value)
            if box is not None:
                region = array[box_slices(*box)]
                new_region = np.where(region == clear_value, 0, region).astype(array.dtype)
                session._write_region(name, box[0], new_region, {}, before=before, after=after)
                return result
        session._commit(name, None, before, {}, after=after)
        return result

    def add(self, name: str, color=None, value: Optional[int] = None) -> Segment:
        """Add an empty segment (the next free label value) and make it the active one."""
        too_long = name_too_long(value or self.table.next_value(), "name", name)
        if too_long:
            raise LabelMapError(too_long)
        if self.table.has_name(name):
            raise LabelMapError(f"a segment named {name!r} already exists")
        segment = self._change("segments.add", lambda: self.table.add(name, color=color, value=value))
        narrow = self._session.labels.array
        self._session.labels.ensure_capacity(segment.value)
        self._session.counts.follow_widening(narrow)
        self._session.active_segment = segment.value
        return self.table.get(segment.value)

    def remove(self, key) -> None:
        """Remove a segment and clear its voxels (unless it is locked)."""
        segment = self.get(key)
        if segment.locked:
            raise LabelMapError(f"segment {segment.name!r} is locked; unlock it first")
        value = segment.value
        self._session.drop_object_of(value)   # its AI click object in progress goes with it
        self._change("segments.remove", lambda: self.table.remove(value), value, clear_value=value)
        if self._session.active_segment == value:
            self._session.active_segment = None

    def _set(self, key, label: str, **fields) -> Segment:
        value = self.get(key).value

        def mutate():
            segment = self.table.get(value)
            for field, new in fields.items():
                if field == "name":
                    self.table.rename(value, new)  # keeps the table's name index
                else:
                    setattr(segment, field, new)
            return segment

        if all(getattr(self.table.get(value), f) == v for f, v in fields.items()):
            return self.table.get(value)
        self._change(label, mutate, value)
        return self.table.get(value)

    def rename(self, key, name: str) -> Segment:
        too_long = name_too_long(self.get(key).value, "name", name)
        if too_long:   # a name that its own sidecar could not be read back with
            raise LabelMapError(too_long)
        if self.table.has_name(name) and self.table.by_name(name).value != self.get(key).value:
            raise LabelMapError(f"a segment named {name!r} already exists")
        return self._set(key, "segments.rename", name=name)

    def recolor(self, key, color) -> Segment:
        color = tuple(int(c) for c in color)
        if len(color) != 3 or not all(0 <= c <= 255 for c in color):
            raise LabelMapError(f"a colour is three values 0-255, got {color}")
        return self._set(key, "segments.recolor", color=color)

    def hide(self, key, hidden: bool = True) -> Segment:
        return self._set(key, "segments.hide", visible=not hidden)

    def show(self, key) -> Segment:
        return self._set(key, "segments.show", visible=True)

    def lock(self, key, locked: bool = True) -> Segment:
        """Lock (never overwritten, never erased) or unlock a segment."""
        return self._set(key, "segments.lock", locked=bool(locked))

    def unlock(self, key) -> Segment:
        return self.lock(key, False)

    def source_cell(self, key) -> tuple[str, str]:
        """The segment list's *From* cell of a segment and its tooltip: who or what made it
        (``Segment.made_by``, the AI click model and prompts on hover only). A segment a person
        makes reads nothing until it is known to hold voxels: until session 28 it read ``drawn``
        while the voxel counts were not ready (a big image's first count, a 256th label). The
        text is :meth:`source_parts` joined."""
        parts = self.source_parts(key)
        made_by = self.get(key).made_by
        value = self.get(key).value
        if self.adjudicated(key) is not None:   # what it was before: Ctrl+Z gives it back
            made_by = self._adjudicated_by(value, list(self._session.history.undo_steps)) or made_by
        return ("".join(parts), made_by) if any(parts) else ("", "")

    def adjudicated(self, key) -> Optional[bool]:
        """``None`` unless the readers' *Apply to label map* filled this segment and Ctrl+Z has
        not taken it back; then whether a hand edit of its voxels followed (a voxel step after
        it that painted or erased this segment: a stroke in another segment is none)."""
        value = self.get(key).value
        marked = self._applied(value)
        if marked is None:
            return None
        steps = self._session.history.undo_steps
        ids = [step.step_id for step in steps]
        after = steps[ids.index(marked[0]) + 1:] if marked[0] is not None else steps
        drawn_before = len(marked) > 5 and bool(marked[5])   # a label file's: as it was saved
        return drawn_before or any(step.name not in ("model", "load_labels") and step.diff is not None
                   and bool(np.any(step.diff.old == value) or np.any(step.diff.new == value))
                   for step in after)

    def _adjudicated_by(self, value: int, steps) -> str:
        """The *From* tooltip of segment ``value`` filled by the Apply in force among ``steps``:
        who adjudicated, and what it was before (an earlier Apply's: "adjudicated by ...")."""
        session = self._session
        marked = segment_marks(steps, session.adjudicated, session.adjudicated_base).get(value)
        if marked is None:
            return ""
        ids = [s.step_id for s in steps]
        step = steps[ids.index(marked[0])] if marked[0] in ids else None
        earlier = self._adjudicated_by(value, steps[:ids.index(marked[0])]) if step is not None else ""
        was = earlier.split(" (was ")[0] or was_made_by(marked, step) or self.get(value).made_by
        by = f"adjudicated by {marked[2] or 'the adjudicator'}"
        return by if was == MADE_BY_APPLY else f"{by} (was {was})"

    def _applied(self, value: int):
        """The Apply in force that filled segment ``value`` (each segment its own latest)."""
        return self.applied_marks().get(value)

    def applied_marks(self) -> dict[int, tuple]:
        """By segment value, the Apply in force that filled it (``adjudicated_step.segment_marks``),
        worked out once per change of the history."""
        session = self._session
        key = (session.version, session.adjudicated, session.adjudicated_base)
        if self._marks[0] != key:
            self._marks = (key, segment_marks(session.history.undo_steps, session.adjudicated,
                                              session.adjudicated_base))
        return self._marks[1]

    def adjudication_marks(self) -> dict[int, tuple[str, bool]]:
        """What a label file saved now says of its adjudicated segments (``app.adjudicated_file``):
        value -> ``(adjudicator, hand edited since)``."""
        marks = self.applied_marks().items()
        return {value: (mark[2], bool(self.adjudicated(value))) for value, mark in marks
                if value in self._session.labels.segments and mark[2]}

    def source_parts(self, key) -> tuple[str, str, str]:
        """The *From* cell in its three parts: the origin word (``file ``, ``SEG `` for a DICOM SEG
        named by its series description and reader, ``drawn``, ``AI click``),
        the name a narrow list shortens (the file's, the model's; none for a person's or an AI
        click segment) and the refinements kept whole (`` + drawn``, `` + AI click``). Made from
        the segment, never from its text: a file named ``scan + drawn.nii.gz`` is a name (the list
        split the text at ``+ drawn`` until session 29)."""
        segment = self.get(key)
        counts = self._session.counts
        adjudicated = self.adjudicated(key)
        if adjudicated is not None:   # the readers' outlines an adjudicator chose, whoever made it before
            return "adjudicated", "", " + drawn" * adjudicated
        if segment.origin == "human":
            return ("drawn", "", "") if counts.ready and counts.voxels(segment.value) else ("", "", "")
        if segment.origin == "interactive":
            return ("drawn", "", " + AI click") if segment.drawn else ("AI click", "", "")
        refined = " + drawn" * segment.drawn + " + AI click" * bool(segment.prompts)
        if segment.origin == "loaded":
            file, shown = self._shown.get(segment.value, ("", ""))
            if shown and file == segment.file:   # a SEG: its description and reader
                return "SEG ", shown, refined
            return ("file ", segment.file, refined) if segment.file else ("file", "", refined)
        if segment.origin != "model":   # an origin a newer version wrote: ``made_by``'s word
            return ("drawn", "", "")
        return "", segment.model or "model", refined

    def select(self, key) -> Segment:
        """Make a segment the active one (the default ``segment`` of every tool)."""
        segment = self.get(key)
        self._session.active_segment = segment.value
        return segment
