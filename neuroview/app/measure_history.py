"""Undo and redo of rulers, angles, ellipses and rectangles, in one order with the label edits, as
3D Slicer and ITK-SNAP undo a markup change like any other: drawing one, moving its point (one
drag, one step) and deleting one are each a step of Ctrl+Z / Ctrl+Y.

The label edits keep their own history (``core.undo.History``, journaled for a crash); the
measurements' steps are not journaled: they stay in memory here. A clock
stamps every measurement step and every label step committed (:meth:`MeasureHistory.mask_step`),
so Ctrl+Z takes back whichever of the two newest is newer (:meth:`measure_first`), and Ctrl+Y
redoes the one undone last. A new step of either kind drops what both could redo, as one history
does.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Optional, Union

from ..core.undo_stacks import UndoStacks
from .view_measure import Angle, DrawnRegion, Ruler

Item = Union[Ruler, Angle, DrawnRegion]


@dataclass(frozen=True, eq=False)
class MeasureChange:
    """One step: ``before`` became ``after`` (``before`` None: drawn; ``after`` None: deleted;
    both: a point moved); ``index`` is its place among the rulers (angles, ellipses, rectangles) when drawn or
    deleted, where an undone delete puts it back."""

    before: Optional[Item]
    after: Optional[Item]
    index: int
    seq: int

    @property
    def item(self) -> Item:
        return self.after if self.after is not None else self.before

    @property
    def verb(self) -> str:
        if self.before is None:
            return "drawn"
        return "deleted" if self.after is None else "moved"


def apply_change(items: list, change: MeasureChange, forward: bool) -> list:
    """``items`` (the rulers, the angles or the ellipses) with ``change`` done (``forward``) or undone; items
    are matched by identity (their fields are numpy arrays)."""
    old, new = (change.before, change.after) if forward else (change.after, change.before)
    if old is None:
        out = list(items)
        out.insert(min(change.index, len(out)), new)
        return out
    if new is None:
        return [i for i in items if i is not old]
    return [new if i is old else i for i in items]


class MeasureHistory(UndoStacks[MeasureChange]):
    """The measurement steps to undo and redo, and the clock that orders them with label steps."""

    def __init__(self) -> None:
        super().__init__()
        self._clock = itertools.count(1)
        self._mask_seq: dict[int, int] = {}

    def push(self, before: Optional[Item], after: Optional[Item], index: int = 0) -> MeasureChange:
        """Record a new step (what could be redone is dropped)."""
        change = MeasureChange(before, after, index, next(self._clock))
        self._undo.append(change)
        self._redo.clear()
        return change

    def mask_step(self, step_id: int) -> None:
        """A label step was committed now: later than every measurement step so far; the
        measurement steps undone can no longer be redone."""
        self._mask_seq[step_id] = next(self._clock)
        self._redo.clear()

    def forget_mask_steps(self) -> None:
        """Another label history (a session opened or restored): its steps are older than the
        measurement steps kept."""
        self._mask_seq.clear()

    def clear(self) -> None:
        """Another image (or none): no step of the old one is kept."""
        self._undo.clear()
        self._redo.clear()
        self._mask_seq.clear()

    def _seq(self, step_id: Optional[int]) -> Optional[int]:
        # a label step of no known time (restored from the workspace) is older than any measurement
        return None if step_id is None else self._mask_seq.get(step_id, 0)

    def measure_first(self, undo_step: Optional[int]) -> bool:
        """Ctrl+Z takes back a measurement step: there is one, newer than the label step that
        would be undone (``undo_step``: its id; ``None``: none)."""
        seq = self._seq(undo_step)
        return bool(self._undo) and (seq is None or self._undo[-1].seq > seq)

    def redo_measure_first(self, redo_step: Optional[int]) -> bool:
        """Ctrl+Y redoes a measurement step: there is one, undone after the label step that would
        be redone (``redo_step``), i.e. older in the history."""
        seq = self._seq(redo_step)
        return bool(self._redo) and (seq is None or self._redo[-1].seq < seq)
