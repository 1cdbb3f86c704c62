"""The time points of a classic 4D run (one slice per file) where a position lacks one of them.

A slice left out (a damaged header: :mod:`.unplaced`) or missing from one time point leaves its
position one image short. Where the frames carry a per-volume number (TemporalPositionIdentifier,
else AcquisitionNumber, else an acquisition time shared by a volume's slices: one value per time
point at every complete position), each frame goes to its own time point. A time point that holds
more than half of the positions is kept and its gaps are filled with the same slice of the nearest
time point (the earlier one first); one that holds half or fewer (a run stopped during its last
volume, or one with most of its files missing) is left out.

dcm2niix 1.0.20260724, on 5 slices x 4 time points with one file of time point 2 missing ("number
of slices (19) not divisible by number of repeats (4): missing images?"), stacks the 19 slices as
one 3D volume (volumes numbered by AcquisitionNumber) or writes nothing (TemporalPositionIdentifier);
neither keeps the run's time points. Filled from the neighbour in time, every time point keeps
its place in the run (as an fMRI, DWI or perfusion analysis expects: a time point dropped shifts
the ones after it) and the warning names the filled slice.
"""

from __future__ import annotations

from typing import Optional

from .refs import FrameRef

VOLUME_KEYS = ((0, "TemporalPositionIdentifier"), (2, "AcquisitionNumber"), (1, "acquisition time"))
"""Index in ``FrameRef.order`` and the name said in the warning."""


def _volume_key(stacks: list[list[FrameRef]], n_times: int) -> Optional[tuple[int, str, list]]:
    """The first of :data:`VOLUME_KEYS` that takes ``n_times`` values, each once at every
    complete position and at most once at the others, with those values (sorted)."""
    for index, name in VOLUME_KEYS:
        values: set = set()
        usable = True
        for stack in stacks:
            found = {ref.order[index] for ref in stack}
            if len(found) != len(stack) or (len(stack) == n_times and values and found != values):
                usable = False
                break
            if len(stack) == n_times:
                values = found
        if usable and len(values) == n_times and all(
                {ref.order[index] for ref in stack} <= values for stack in stacks):
            return index, name, sorted(values)
    return None


def _nearest(column: list[Optional[FrameRef]], t: int, kept: list[int]) -> tuple[FrameRef, int]:
    for other in sorted(kept, key=lambda u: (abs(u - t), u)):
        if column[other] is not None:
            return column[other], other
    raise ValueError("no time point holds this position")  # a kept time point holds it


def fill_time_points(stacks: list[list[FrameRef]]) -> Optional[tuple[list[list[FrameRef]], str]]:
    """``stacks`` (positions, each its frames) as ``frames[k][t]`` with every time point that
    holds more than half of the positions, its gaps filled, and the warning; ``None`` where no
    per-volume number tells the frames' time points apart or no kept time point has a gap (the
    caller's rule then applies: as many time points as every position holds)."""
    n_times = max(map(len, stacks))
    key = _volume_key(stacks, n_times)
    if key is None:
        return None
    index, name, values = key
    where = {value: t for t, value in enumerate(values)}
    columns: list[list[Optional[FrameRef]]] = []
    for stack in stacks:
        column: list[Optional[FrameRef]] = [None] * n_times
        for ref in stack:
            column[where[ref.order[index]]] = ref
        columns.append(column)
    held = [sum(column[t] is not None for column in columns) for t in range(n_times)]
    kept = [t for t in range(n_times) if 2 * held[t] > len(stacks)]
    if not kept or all(held[t] == len(stacks) for t in kept):
        return None
    notes = []
    for t in kept:
        for k, column in enumerate(columns):
            if column[t] is None:
                column[t], source = _nearest(column, t, kept)
                notes.append(f"time point {t + 1} slice {k + 1} from time point {source + 1}")
    dropped = [t for t in range(n_times) if t not in kept]
    frames = [[column[t] for t in kept] for column in columns]
    gaps = len(notes)
    text = (f"{gaps} slice(s) missing from their time point (left out or absent; time points "
            f"told apart by {name}): filled with the same slice of the nearest time point "
            f"({', '.join(notes[:3])}{f' and {gaps - 3} more' if gaps > 3 else ''}); "
            f"{len(kept)} time point(s) kept")
    if dropped:
        left = sum(held[t] for t in dropped)
        text += (f", {len(dropped)} holding half or fewer of the {len(stacks)} positions left out "
                 f"({left} image(s): a run stopped during its last volume, or files missing)")
    return frames, text
