"""The time points of a classic 4D run (one slice per file) where a position lacks one of them.

A slice left out (a damaged header: :mod:`.unplaced`) or missing from one time point leaves its
position one image short. Where the frames carry a per-volume number (TemporalPositionIdentifier,
else AcquisitionNumber, else a cardiac phase's TriggerTime, else an acquisition time shared by a
volume's slices: one value per time point at every complete position), each frame goes to its own
time point; else where a number runs on across the volumes (InstanceNumber, a per-slice
acquisition time, ContentTime: :mod:`.run_order`), its order does. A time point that holds
more than half of the positions is kept and its gaps are filled with the same slice of the nearest
time point (the earlier one first); one that holds half or fewer (a run stopped during its last
volume, or one with most of its files missing) is left out.

dcm2niix 1.0.20260724, on 5 slices x 4 time points with one file of time point 2 missing ("number
of slices (19) not divisible by number of repeats (4): missing images?"), stacks the 19 slices as
one 3D volume (volumes numbered by AcquisitionNumber) or writes nothing (TemporalPositionIdentifier);
neither keeps the run's time points. Filled from the neighbour in time, every time point keeps
its place in the run (as an fMRI, DWI or perfusion analysis expects: a time point dropped shifts
the ones after it) and the warning names the filled slice. Where nothing tells, the caller keeps
the first acquired frames at each position and says so, naming the series.

The penalty of a filled gap (``series.PENALTY["filled"]``, 0.25) is a missing slice's: one slice
of the run is not the one acquired there, said in the warning; images dropped or placed by a
guess (``"duplicate"``, 0.35) cost more.
"""

from __future__ import annotations

from typing import Callable, Optional

from ...core.geometry import shown_slice_numbers
from ...core.plural import plural
from .refs import FrameRef
from .run_order import RUNNING_KEYS, running_columns

VOLUME_KEYS: tuple[tuple[str, Callable[[FrameRef], object]], ...] = (
    ("TemporalPositionIdentifier", lambda ref: ref.order[0]),
    ("AcquisitionNumber", lambda ref: ref.order[2]),
    ("TriggerTime", lambda ref: ref.order[4]),  # a cardiac phase's
    ("acquisition time", lambda ref: ref.order[1]),
)
"""The per-volume numbers tried, in this order, and the name said in the warning."""

NOTHING_TELLS = ", ".join(name for name, _ in VOLUME_KEYS[:3]) + ", " + ", ".join(
    name for name, _ in RUNNING_KEYS)


def _volume_key(stacks: list[list[FrameRef]], n_times: int) -> Optional[tuple[str, Callable, list]]:
    """The first of :data:`VOLUME_KEYS` that takes ``n_times`` values, each once at every
    complete position and at most once at the others, with those values (sorted)."""
    for name, value_of in VOLUME_KEYS:
        values: set = set()
        usable = True
        for stack in stacks:
            found = set(map(value_of, stack))
            if None in found or len(found) != len(stack) \
                    or (len(stack) == n_times and values and found != values):
                usable = False
                break
            if len(stack) == n_times:
                values = found
        if usable and len(values) == n_times and all(
                set(map(value_of, stack)) <= values for stack in stacks):
            return name, value_of, sorted(values)
    return None


def _columns(stacks: list[list[FrameRef]], n_times: int
             ) -> tuple[Optional[list[list[Optional[FrameRef]]]], str]:
    """``columns[k][t]`` (``None`` where position k lacks time point t) and the number that told
    the time points apart: a per-volume one (:data:`VOLUME_KEYS`), else one running on across
    the volumes (:mod:`.run_order`); ``(None, "")`` when none does."""
    key = _volume_key(stacks, n_times)
    if key is None:
        return running_columns(stacks, n_times)
    name, value_of, values = key
    where = {value: t for t, value in enumerate(values)}
    columns: list[list[Optional[FrameRef]]] = []
    for stack in stacks:
        column: list[Optional[FrameRef]] = [None] * n_times
        for ref in stack:
            column[where[value_of(ref)]] = ref
        columns.append(column)
    return columns, name


def _nearest(column: list[Optional[FrameRef]], t: int, kept: list[int]) -> tuple[FrameRef, int]:
    """The slice of the nearest kept time point holding this position, else of the nearest
    time point left out (a position only they hold: a GE CT's two acquisitions overlapping by
    a slice, the second holding the last position)."""
    for other in sorted(range(len(column)), key=lambda u: (u not in kept, abs(u - t), u)):
        if column[other] is not None:
            return column[other], other
    raise ValueError("no time point holds this position")  # every column holds a frame


def fill_time_points(stacks: list[list[FrameRef]], code: str = "RAS"
                     ) -> tuple[Optional[tuple[list[list[FrameRef]], str]], bool]:
    """(``stacks`` (positions, each its frames) as ``frames[k][t]`` with every time point that
    holds more than half of the positions, its gaps filled, and the warning; or ``None`` where no
    kept time point has a gap or nothing tells the time points apart) and whether a number told
    them apart. With ``None`` the caller's rule applies: as many time points as every position
    holds. ``code``: the grid's orientation (``core.geometry.orientation_code``): a slice is
    numbered as the view along the slices numbers it, from the I, P or L end (counted from the
    first position, along the array, until session 45)."""
    n_times = max(map(len, stacks))
    columns, name = _columns(stacks, n_times)
    if columns is None:
        return None, False
    held = [sum(column[t] is not None for column in columns) for t in range(n_times)]
    kept = [t for t in range(n_times) if 2 * held[t] > len(stacks)]
    if not kept or kept == list(range(len(kept))) and all(held[t] == len(stacks) for t in kept):
        return None, True  # the first time points whole: as the caller's rule keeps them
    filled = []   # (time point, slice, the time point it came from)
    for t in kept:
        for k, column in enumerate(columns):
            if column[t] is None:
                column[t], source = _nearest(column, t, kept)
                filled.append((t, k, source))
    dropped = [t for t in range(n_times) if t not in kept]
    frames = [[column[t] for t in kept] for column in columns]
    used = {id(ref) for column in frames for ref in column}
    left = sum(column[t] is not None and id(column[t]) not in used
               for column in columns for t in dropped)
    if len(kept) == 1 and stacks[0][0].modality == "CT":
        return (frames, _overlap_text(n_times, len(stacks), kept[0], filled, left, name, code)), True
    view = shown_slice_numbers(code, [], len(stacks))[0]
    notes = [f"time point {t + 1} slice {shown_slice_numbers(code, [k], len(stacks))[1][0]} from "
             f"time point {source + 1}" for t, k, source in filled]
    gaps = len(notes)
    text = (f"{plural(gaps, 'slice')} missing from {'its' if gaps == 1 else 'their'} time point "
            f"(left out or absent; time points told apart by {name}): filled with the "
            f"same slice of the nearest time point "
            f"({view} view: {', '.join(notes[:3])}{f' and {gaps - 3} more' if gaps > 3 else ''}); "
            f"{plural(len(kept), 'time point')} kept") if gaps else (
            f"time points told apart by {name}: {plural(len(kept), 'time point')} kept")
    if dropped:
        text += (f", {len(dropped)} holding half or fewer of the {len(stacks)} positions left out "
                 f"({plural(left, 'image')}: a run stopped during its last volume, or files missing)")
    return (frames, text), True


def _overlap_text(n_times: int, n_positions: int, t: int, filled: list[tuple[int, int, int]],
                  left: int, name: str, code: str) -> str:
    """A CT's acquisitions overlapping (a GE CT's second acquisition repeating the first's last
    position) make one volume: said in acquisitions, not in a 4D run's time points. A slice is
    numbered as the view along the slices numbers it (along the array until session 46)."""
    view = shown_slice_numbers(code, [], n_positions)[0]
    taken = [f"slice {shown_slice_numbers(code, [k], n_positions)[1][0]} from acquisition {source + 1}"
             for _, k, source in filled]
    text = (f"{n_times} acquisitions overlap (told apart by {name}): one volume of "
            f"{plural(n_positions, 'position')} from acquisition {t + 1}")
    if taken:
        text += (f", {', '.join(taken[:3])}{f' and {len(taken) - 3} more' if len(taken) > 3 else ''}"
                 f" ({view} view)")
    if left:
        text += (f"; left out: {plural(left, 'image')} repeating "
                 f"{'a position' if left == 1 else 'positions'} of acquisition {t + 1}")
    return text
