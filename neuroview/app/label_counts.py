"""Voxels per label value, kept up to date from each edit's diff instead of a whole-volume recount.

A whole-volume ``np.bincount`` of a 512x512x300 label map takes about 300 ms; doing it after every
stroke on the GUI thread makes painting stutter. Every committed step, undo and redo already
carries the old and new values of exactly the voxels it changed (the undo diff), so the counts
move by ``bincount(new) - bincount(old)`` of those voxels: the cost follows the size of the edit,
not of the volume. Written here (not a library call) because the update must follow neuroview's
own undo diffs. The first count is made lazily, when somebody first asks.
"""

from __future__ import annotations

from typing import Callable, Optional

import numpy as np

from ..core.labels import LabelMap, count_values
from ..core.undo import VoxelDiff


class LabelCounts:
    """Per-label voxel counts of a :class:`LabelMap`, updated from :class:`VoxelDiff` s."""

    def __init__(self, labels: LabelMap, busy: Callable[[], bool] = lambda: False) -> None:
        self._labels = labels
        self._busy = busy
        """True while a stroke is open: its voxels are in the array but its diff is not counted yet."""
        self._counts: Optional[np.ndarray] = None
        self._array: Optional[np.ndarray] = None
        self.full_recounts = 0
        """How many whole-volume counts were made (1 after the first request, normally)."""

    def invalidate(self) -> None:
        """Forget the counts (the whole label map was replaced); the next request recounts."""
        self._counts = None
        self._array = None

    def _recount(self) -> None:
        array = self._labels.array
        self._counts = count_values(array)
        self._array = array
        self.full_recounts += 1

    def _current(self) -> np.ndarray:
        if self._counts is None or self._labels.array is not self._array:
            if self._busy():
                # Mid-stroke the array holds uncommitted voxels that the stroke's diff will add
                # again at release: count them now, but do not keep this count.
                self.full_recounts += 1
                return count_values(self._labels.array)
            self._recount()  # first request, or the array was replaced (e.g. widened to uint16)
        return self._counts

    @property
    def ready(self) -> bool:
        """True when :meth:`counts` answers without counting the whole map."""
        return self._counts is not None and self._labels.array is self._array

    def start_empty(self) -> None:
        """The label map is all background (a new session's): its counts are known, no count is
        made. Until session 28 they stayed unknown until a first whole-map count (in a worker for
        a big map), and a new segment's *From* read ``drawn`` meanwhile."""
        self._counts = np.zeros(1, np.int64)
        self._counts[0] = self._labels.array.size
        self._array = self._labels.array

    def follow_widening(self, old_array: np.ndarray) -> None:
        """The label map's array ``old_array`` was widened into a new one of the same values
        (``LabelMap.ensure_capacity``: uint8 -> uint16 for a 256th label): counts made for it
        still hold (they were thrown away, and the 256th segment read ``drawn``)."""
        if self._counts is not None and self._array is old_array:
            self._array = self._labels.array

    def adopt(self, counts: np.ndarray, array: np.ndarray, changed: bool) -> bool:
        """Take a whole-map count made in a worker thread (``count_values(array)``), unless the map
        was replaced or edited meanwhile (``changed``) or a stroke is open; True when taken."""
        if changed or self._labels.array is not array or self._busy():
            return False
        self._counts, self._array = np.asarray(counts, np.int64), array
        self.full_recounts += 1
        return True

    def apply(self, diff: Optional[VoxelDiff], forward: bool = True) -> None:
        """Account for a step already written to the label map (``forward=False``: undone)."""
        if diff is None or self._counts is None:
            return  # nothing changed, or nobody asked yet (the first request counts anyway)
        if self._labels.array is not self._array:
            self.invalidate()
            return
        if not diff.new.size:
            return
        change = diff.count_change()   # counted once (by a worker for a model result or a mask)
        if change.size > self._counts.size:
            self._counts = np.concatenate([self._counts, np.zeros(change.size - self._counts.size, np.int64)])
        if forward:
            self._counts[:change.size] += change
        else:
            self._counts[:change.size] -= change

    def voxels(self, value: int) -> int:
        """The voxels of one label value (counting the whole map first if nobody asked yet)."""
        counts = self._current()
        return int(counts[value]) if 0 <= value < counts.size else 0

    def counts(self) -> dict[int, int]:
        """``{label value: voxels}`` for every non-zero value present (background left out)."""
        counts = self._current()
        return {int(v): int(counts[v]) for v in np.flatnonzero(counts) if v != 0}

    def array(self) -> np.ndarray:
        """The counts indexed by label value (a copy; index 0 is the background)."""
        return self._current().copy()
