"""Stacks of one orientation side by side in one series (Philips multi-stack spine, a survey).

A series may hold several stacks of slices in one orientation that lie next to each other in
the slice plane: two sagittal stacks of the spine, one above the other. Along the slice normal
their slices share positions, so stacked as one volume they looked like the time points of a
4D series (every one of the second stack shown where the first lies) or, where their slice
ranges differ, like duplicate positions (the second stack's slices dropped). dcm2niix stacks
them as one volume too. Here each such stack is its own part of the series, where it lies.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from .plane_values import orientation_problem, positions_usable
from .refs import FrameRef, position_of


def _gaps(values: np.ndarray, tolerance: float) -> np.ndarray:
    """Labels of ``values`` grouped where the sorted values are at most ``tolerance`` apart."""
    order = np.argsort(values, kind="stable")
    labels = np.empty(len(values), dtype=np.int64)
    labels[order] = np.concatenate([[0], np.cumsum(np.diff(values[order]) > tolerance)])
    return labels


def split_stacks(refs: list[FrameRef], distinct: Optional[set] = None) -> list[list[FrameRef]]:
    """``refs`` (one orientation, matrix and pixel spacing) as one list per stack: frames that
    share a place along the slice normal but lie apart in the slice plane by more than a pixel
    and more than a quarter of the image's field of view are of different stacks. The frames of
    one time point (a 4D series), volumes of a run moved a few mm in plane (realigned), a tilted
    stack (its slices shift in plane, each at its own place along the normal) and frames
    without a position stay one list. ``distinct``: the set of ``refs``' positions, when the
    caller has it."""
    first = refs[0]
    if len(refs) < 2 or first.mosaic or first.orientation is None:
        return [refs]
    # the distinct positions only: a 4D series repeats each (86,400 frames of an enhanced
    # study at 240 places; an array of every frame's position cost 0.07 s of CPU, this 0.015 s)
    distinct = distinct or set(map(position_of, refs))
    if len(distinct) < 2 or None in distinct or not positions_usable(distinct) \
            or orientation_problem(first.orientation):
        return [refs]  # (series.plan_stack stacks unusable positions in acquisition order)
    distinct = list(distinct)
    row, col = np.asarray(first.orientation[:3], float), np.asarray(first.orientation[3:], float)
    axes = np.stack([row, col, np.cross(row, col)])
    points = np.array(distinct, dtype=float).reshape(-1, 3) @ axes.T
    pixel = max(min(first.pixel_spacing), 1e-3)
    field = min(first.rows * first.pixel_spacing[0], first.cols * first.pixel_spacing[1])
    apart = max(pixel, 0.25 * field)  # side by side stacks: far apart; realigned volumes: not
    if np.ptp(points[:, 0]) <= apart and np.ptp(points[:, 1]) <= apart:
        return [refs]  # one place in the slice plane (nearly every series): nothing to split
    steps = np.diff(np.sort(points[:, 2]))
    positive = steps[steps > 1e-4]
    tolerance = max(1e-3, 0.01 * float(np.median(positive))) if positive.size else 1e-3
    places = _gaps(points[:, 2], tolerance)
    if not any(np.ptp(points[places == place, :2], axis=0).max() > apart
               for place in np.unique(places)):
        return [refs]
    labels = _gaps(points[:, 0], apart) * len(distinct) + _gaps(points[:, 1], apart)
    label_of = dict(zip(distinct, labels.tolist()))
    stacks: dict[int, list[FrameRef]] = {}
    for ref in refs:
        stacks.setdefault(label_of[ref.position], []).append(ref)
    return list(stacks.values())
