"""Which time point each frame of a classic 4D run belongs to, from a number that runs on
across the volumes (InstanceNumber 1, 2, ... through the whole run, or a per-slice acquisition
or content time), for a run whose frames carry no per-volume number (:mod:`.time_points`).

Sorted by such a number, a run's frames come volume after volume, each volume its slices in the
same order. The positions holding every time point ("complete") show that order and where each
volume begins and ends; a frame of a position lacking one time point is placed by the complete
frames acquired before it. A position acquired first or last in every volume lies between two
volumes: it belongs to the later one or to the earlier one, as its frames at the run's start or
end say; when neither says (the missing frame was the first or the last of the whole run), an
InstanceNumber starting at 1 tells that nothing was acquired before it. Otherwise the number
does not tell, and the next one is tried.
"""

from __future__ import annotations

from typing import Callable, Optional

from .refs import FrameRef

RUNNING_KEYS: tuple[tuple[str, Callable[[FrameRef], object]], ...] = (
    ("InstanceNumber", lambda ref: ref.order[3] or None),
    ("AcquisitionTime", lambda ref: ref.order[1] or None),
    ("ContentTime", lambda ref: ref.order[5] or None),
)
"""The numbers tried, most reliable first: a scanner numbers a run's images in acquisition order;
an acquisition time (else AcquisitionDateTime, else ContentTime, as ``FrameRef.order``) runs on
per slice on most scanners; ContentTime, when the acquisition time is the same for the series."""


def _volumes(found: list[tuple[int, FrameRef]], n_complete: int, n_times: int,
             starts_at_one: bool) -> Optional[list[int]]:
    """The time point of each frame of one short position (``(m, ref)``: ``m`` complete frames
    acquired before it), or ``None`` when the complete frames do not tell."""
    slots = {m % n_complete for m, _ in found}
    if len(slots) != 1:
        return None  # not at one place in every volume: not this number's order
    if slots != {0}:
        return [m // n_complete for m, _ in found]  # inside a volume: that volume's
    later = [m // n_complete for m, _ in found]  # the position acquired first in each volume
    earlier = [t - 1 for t in later]  # ... or last
    readings = [times for times in (later, earlier) if all(0 <= t < n_times for t in times)]
    if len(readings) == 2 and starts_at_one:
        readings = [earlier]  # nothing before the run's first image: the later reading lacks
    return readings[0] if len(readings) == 1 else None  # the 1st volume's, acquired before it


def running_columns(stacks: list[list[FrameRef]], n_times: int
                    ) -> tuple[Optional[list[list[Optional[FrameRef]]]], str]:
    """(``columns[k][t]``: position k's frame of time point t, ``None`` where it has none, and
    the number that told them apart), or ``(None, "")`` when no number of
    :data:`RUNNING_KEYS` does."""
    for name, value_of in RUNNING_KEYS:
        frames = [(value_of(ref), k, ref) for k, stack in enumerate(stacks) for ref in stack]
        values = [value for value, _, _ in frames]
        if None in values or len(set(values)) != len(values):
            continue  # absent, or the same for several images (restarting at each volume)
        frames.sort(key=lambda item: item[0])
        complete = [len(stack) == n_times for stack in stacks]
        sequence = [k for _, k, _ in frames if complete[k]]
        n_complete = sum(complete)
        if len(set(sequence[:n_complete])) != n_complete \
                or sequence != sequence[:n_complete] * n_times:
            continue  # the complete positions' frames are not volume after volume
        columns: list[list[Optional[FrameRef]]] = [[None] * n_times for _ in stacks]
        short: dict[int, list[tuple[int, FrameRef]]] = {}
        seen = 0
        for _, k, ref in frames:
            if complete[k]:
                columns[k][seen // n_complete] = ref
                seen += 1
            else:
                short.setdefault(k, []).append((seen, ref))
        starts_at_one = name == "InstanceNumber" and values and min(values) == 1
        told = True
        for k, found in short.items():
            times = _volumes(found, n_complete, n_times, bool(starts_at_one))
            if times is None or len(set(times)) != len(times):
                told = False
                break
            for t, (_, ref) in zip(times, found):
                columns[k][t] = ref
        if told:
            return columns, name
    return None, ""
