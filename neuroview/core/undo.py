"""Undo/redo for label edits: bounding-box diffs in a history bounded in bytes and steps.

As in napari's Labels layer and ITK-SNAP, one brush stroke or one applied operation is ONE step.
A step stores what changed, not a copy of the volume: the bounding box of the change, a bit-packed
mask of the changed voxels inside it, and the old and new values of those voxels (old to undo,
new to redo). Segment-table edits (add, rename, lock...) travel in the same step as the segment
table before and after, so "split islands into segments" undoes in one go.

:class:`StrokeRecorder` gathers the many small writes of a drag (each event paints a few hundred
voxels) and folds them into a single :class:`VoxelDiff` at release. Nothing here copies the whole
label array: every array is the size of a bounding box or of the changed voxels.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .undo_stacks import UndoStacks

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
"""History budget: 512 MiB, the most the issue allows."""
DEFAULT_MAX_STEPS = 10_000

Box = tuple[tuple[int, int, int], tuple[int, int, int]]
"""A voxel bounding box ``(lo, hi)``, ``hi`` exclusive, in ``[i, j, k]`` order."""


def box_slices(lo, hi) -> tuple[slice, slice, slice]:
    return tuple(slice(int(a), int(b)) for a, b in zip(lo, hi))


def union_box(a: Optional[Box], b: Optional[Box]) -> Optional[Box]:
    if a is None:
        return b
    if b is None:
        return a
    lo = tuple(min(x, y) for x, y in zip(a[0], b[0]))
    hi = tuple(max(x, y) for x, y in zip(a[1], b[1]))
    return lo, hi


def value_counts(values: np.ndarray, size: int) -> np.ndarray:
    """``np.bincount(values, minlength=size)``; a single value (a brush stroke's new value, the
    background it painted over) is counted without the bincount's copy of every value to intp
    (50 ms for a 100 mm 3D brush's 10 million voxels)."""
    if values.size and values.min() == values.max():
        counts = np.zeros(size, dtype=np.intp)
        counts[int(values[0])] = values.size
        return counts
    return np.bincount(values, minlength=size)


@dataclass
class VoxelDiff:
    """The voxels one step changed: box, packed mask, old values, new values."""

    lo: tuple[int, int, int]
    shape: tuple[int, int, int]
    packed_mask: np.ndarray = field(repr=False)
    """``np.packbits`` of the C-ordered boolean mask of changed voxels inside the box."""
    old: np.ndarray = field(repr=False)
    new: np.ndarray = field(repr=False)

    def __repr__(self) -> str:
        return f"VoxelDiff(box={self.box}, n_changed={self.n_changed}, nbytes={self.nbytes})"

    @property
    def hi(self) -> tuple[int, int, int]:
        return tuple(a + n for a, n in zip(self.lo, self.shape))

    @property
    def box(self) -> Box:
        return self.lo, self.hi

    @property
    def n_changed(self) -> int:
        return int(self.old.size)

    @property
    def nbytes(self) -> int:
        return int(self.packed_mask.nbytes + self.old.nbytes + self.new.nbytes)

    def count_change(self) -> np.ndarray:
        """Voxels each label value gains by the step (a loss is negative), indexed by value;
        counted once, so a worker can count it before the GUI thread commits the step."""
        cached = self.__dict__.get("_count_change")
        if cached is None:
            old, new = self.value_counts()
            cached = new.astype(np.int64) - old
            self.__dict__["_count_change"] = cached
        return cached

    def value_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """How many changed voxels held each label value before and after, indexed by value;
        counted once (a large 3D brush's stroke changes millions of voxels: the drawn marks and
        the segment counts each counted them, 25 ms a count)."""
        cached = self.__dict__.get("_value_counts")
        if cached is None:
            size = int(max(self.old.max(initial=0), self.new.max(initial=0))) + 1
            cached = (value_counts(self.old, size), value_counts(self.new, size))
            self.__dict__["_value_counts"] = cached
        return cached

    def mask(self) -> np.ndarray:
        count = int(np.prod(self.shape))
        return np.unpackbits(self.packed_mask, count=count).view(bool).reshape(self.shape)

    def _write(self, array: np.ndarray, values: np.ndarray) -> None:
        if values.size and int(values.max()) > np.iinfo(array.dtype).max:
            raise ValueError("label array is too narrow for this step (widen it first)")
        region = array[box_slices(self.lo, self.hi)]
        region[self.mask()] = values

    def undo(self, array: np.ndarray) -> None:
        self._write(array, self.old)

    def redo(self, array: np.ndarray) -> None:
        self._write(array, self.new)

    @classmethod
    def from_regions(cls, lo, old_region: np.ndarray, new_region: np.ndarray) -> Optional["VoxelDiff"]:
        """The diff between two same-shaped regions at ``lo``; ``None`` when nothing changed."""
        changed = old_region != new_region
        return cls.from_mask(lo, changed, old_region[changed], new_region[changed])

    @classmethod
    def from_mask(cls, lo, changed: np.ndarray, old: np.ndarray, new: np.ndarray) -> Optional["VoxelDiff"]:
        """A diff from a changed-voxel mask (box-sized) and the old/new values at its voxels.

        The box is shrunk to the mask's own extent, so padding around a change costs nothing.
        """
        if not changed.any():
            return None
        nz = [np.flatnonzero(changed.any(axis=tuple(a for a in range(3) if a != axis))) for axis in range(3)]
        sub_lo = tuple(int(n[0]) for n in nz)
        sub_hi = tuple(int(n[-1]) + 1 for n in nz)
        # old/new follow the C order of the changed voxels; a sub-block holding all of them
        # visits them in the same (lexicographic i, j, k) order, so they need no reordering.
        tight = changed[box_slices(sub_lo, sub_hi)]
        lo = tuple(int(a) + b for a, b in zip(lo, sub_lo))
        return cls(lo, tuple(int(n) for n in tight.shape), np.packbits(tight.ravel()),
                   np.ascontiguousarray(old), np.ascontiguousarray(new))


class StrokeRecorder:
    """Collects the writes of one stroke and folds them into one :class:`VoxelDiff`.

    Each :meth:`record` gets the box of one event, the mask of voxels it changed and their values
    before the change. At :meth:`finish`, the first-recorded old value of every voxel wins (it is
    the value before the stroke) and the new values are read from the label array.
    """

    def __init__(self) -> None:
        self._events: list[tuple[tuple[int, int, int], np.ndarray, np.ndarray]] = []
        self.box: Optional[Box] = None

    def record(self, lo, changed: np.ndarray, old_values: np.ndarray) -> None:
        if not changed.any():
            return
        lo = tuple(int(x) for x in lo)
        self._events.append((lo, changed.copy(), np.array(old_values, copy=True)))
        self.box = union_box(self.box, (lo, tuple(a + n for a, n in zip(lo, changed.shape))))

    def finish(self, array: np.ndarray) -> Optional[VoxelDiff]:
        if self.box is None:
            return None
        lo, hi = self.box
        shape = tuple(b - a for a, b in zip(lo, hi))
        changed = np.zeros(shape, dtype=bool)
        old = np.zeros(shape, dtype=array.dtype)
        # Latest first, so that earlier events overwrite: the oldest value of a voxel wins.
        for event_lo, mask, values in reversed(self._events):
            sub = box_slices([a - b for a, b in zip(event_lo, lo)],
                             [a - b + n for a, b, n in zip(event_lo, lo, mask.shape)])
            old[sub][mask] = values
            changed[sub] |= mask
        current = array[box_slices(lo, hi)]
        changed &= current != old  # a voxel painted then restored in the same stroke is no change
        self._events.clear()
        return VoxelDiff.from_mask(lo, changed, old[changed], current[changed])


@dataclass
class Step:
    """One undoable unit: an applied tool, a brush stroke, a model result or a segment edit."""

    name: str
    diff: Optional[VoxelDiff] = None
    segments_before: Optional[list] = None
    segments_after: Optional[list] = None
    step_id: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        table = 0 if self.segments_before is None else 200 * (len(self.segments_before) +
                                                             len(self.segments_after or []))
        return (self.diff.nbytes if self.diff is not None else 0) + table + 256

    @property
    def box(self) -> Optional[Box]:
        return self.diff.box if self.diff is not None else None


class History(UndoStacks[Step]):
    """Undo and redo stacks of :class:`Step`, bounded in bytes and in number of steps.

    The oldest steps are forgotten first. The newest step is always kept, even when it alone is
    larger than the budget, so the last operation can be undone. ``forget``: called with each
    step done that leaves the undo stack for good (trimmed or cleared), whose change stays in
    the labels.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, max_steps: int = DEFAULT_MAX_STEPS,
                 forget: Optional[Callable[[Step], None]] = None):
        if max_bytes <= 0 or max_steps <= 0:
            raise ValueError("history bounds must be positive")
        self.max_bytes = int(max_bytes)
        self.max_steps = int(max_steps)
        self.forget = forget
        super().__init__(deque())
        self._bytes = 0
        self._floor = 0   # the position below the undo stack: the last step forgotten (0: none)
        self._clears = 0

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._undo)

    @property
    def undo_steps(self) -> list[Step]:
        return list(self._undo)

    @property
    def redo_steps(self) -> list[Step]:
        return list(reversed(self._redo))

    @property
    def position(self) -> int:
        """Where the history stands: the id of the newest step not undone, or when every step
        kept is undone, of the last step forgotten below them (0: none ever). Undo and redo move
        it back and forth; a new step moves it somewhere it never was. At the position of a save
        the labels are the ones saved."""
        return self._undo[-1].step_id if self._undo else self._floor

    @property
    def next_undo(self) -> Optional[Step]:
        """The step :meth:`pop_undo` would give (``None``: none)."""
        return self._undo[-1] if self._undo else None

    @property
    def next_redo(self) -> Optional[Step]:
        """The step :meth:`pop_redo` would give (``None``: none)."""
        return self._redo[-1] if self._redo else None

    def drop_redo(self) -> None:
        """Forget the steps undone: another change was made (a ruler drawn, say), as one history
        of the user's edits forgets them."""
        for dropped in self._redo:
            self._bytes -= dropped.nbytes
        self._redo.clear()

    def push(self, step: Step) -> None:
        """Record a new step; the redo stack is dropped, as in every editor."""
        self.drop_redo()
        self._undo.append(step)
        self._bytes += step.nbytes
        self._trim()

    def push_undone(self, step: Step) -> None:
        """Record ``step`` as undone, on top of the redo stack: a journal replay meets the undo of
        a step it never saw done (one from before the workspace's last compaction)."""
        self._redo.append(step)
        self._bytes += step.nbytes
        self._trim()

    def clear(self) -> None:
        if self.forget is not None:
            for step in self._undo:
                self.forget(step)
        self._undo.clear()
        self._redo.clear()
        self._bytes = 0
        self._clears += 1
        self._floor = -self._clears   # a state no step id names

    def _trim(self) -> None:
        while len(self._undo) > 1 and (self._bytes > self.max_bytes or
                                       len(self._undo) + len(self._redo) > self.max_steps):
            forgotten = self._undo.popleft()
            self._bytes -= forgotten.nbytes
            self._floor = forgotten.step_id
            if self.forget is not None:
                self.forget(forgotten)
