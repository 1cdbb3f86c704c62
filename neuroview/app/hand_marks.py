"""What a person's edit leaves in the segment table besides voxels: the ``drawn`` mark of the
segments it changed by hand, and the extent of a context segment (a model's brain) that it erased
or painted (``core.extent``). Both go into the step's segment table before it is committed, so
undo takes them back and the workspace journal keeps them for a restore."""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from ..core.extent import drawn_by_hand, followed
from ..core.labels import LabelMap
from ..core.undo import VoxelDiff


def mark_drawn(labels: LabelMap, diff: Optional[VoxelDiff]) -> None:
    """Set the ``drawn`` mark of each segment made by a model, by AI click or loaded from a file
    whose voxels a person's tool (brush, eraser, fill, any editor tool) just changed: it was
    corrected by hand. A context segment that only got back voxels cleared over it (a lesion
    erased inside the brain) was not drawn."""
    if diff is None or not diff.n_changed:
        return
    old, new = diff.value_counts()
    touched = np.flatnonzero(old + new)
    table = labels.segments
    for value in touched.tolist():
        segment = table.segments.get(value)
        if segment is None or segment.origin == "human" or segment.drawn:
            continue
        if segment.extent and not drawn_by_hand(segment, diff, labels.shape):
            continue
        table.put(dataclasses.replace(segment, drawn=True))


def follow_extents(labels: LabelMap, diff: Optional[VoxelDiff]) -> None:
    """Each context segment's extent after ``diff``: the voxels of it erased by hand leave it,
    those painted into it join it (a person's correction of the brain is kept)."""
    if diff is None or not diff.n_changed:
        return
    table = labels.segments
    for segment in [s for s in table.segments.values() if s.extent]:
        extent = followed(segment, diff, labels.shape)
        if extent is not None:
            table.put(dataclasses.replace(segment, extent=extent))


def mark_time_point(labels: LabelMap, diff: Optional[VoxelDiff], volume, frame: int,
                    only=None) -> None:
    """Record time point ``frame + 1`` of the 4D image ``volume`` in each segment whose voxels
    ``diff`` changed: the time point shown as it was drawn, erased or proposed, so a restore, a
    reopen and *Send to training set* find the image the mask belongs to (it is one 3D mask shown
    on every time point). A 3D image (or one of colour channels) records nothing. ``only``: the
    label values a step's segment table covers (its ``delta``), the others left as they are."""
    if diff is None or not diff.n_changed or volume.axis4 != "time" or volume.n_frames < 2:
        return
    time_point = int(frame) + 1
    old, new = diff.value_counts()
    touched = np.flatnonzero(old + new)
    table = labels.segments
    for value in touched.tolist():
        segment = table.segments.get(value) if only is None or value in only else None
        if segment is not None and time_point not in segment.time_points:
            table.put(dataclasses.replace(segment, time_points=tuple(sorted({*segment.time_points,
                                                                              time_point}))))


def follow_time_points(labels: LabelMap, diff: Optional[VoxelDiff], session, mark: bool) -> None:
    """Before a step of ``session`` is committed: :func:`mark_time_point` with the time point
    shown (``mark``: False for a label file's load, which records the file's), then
    :func:`forget_time_points` with the session's counts."""
    if mark:
        mark_time_point(labels, diff, session.volume, session.frame)
    forget_time_points(labels, diff, session.counts)


def forget_time_points(labels: LabelMap, diff: Optional[VoxelDiff], counts) -> None:
    """A segment whose last voxels ``diff`` took records no time point: it holds nothing drawn on
    any, so a later stroke on another time point is that segment's only one (an emptied segment
    kept the old one, and *Send to training set* refused the labels as drawn on two).
    ``counts``: the session's ``LabelCounts``, not yet moved by ``diff`` (the array already is)."""
    if diff is None or not diff.n_changed:
        return
    change = diff.count_change()
    table = labels.segments
    for value in np.flatnonzero(change < 0).tolist():
        segment = table.segments.get(value)
        if segment is None or not segment.time_points:
            continue
        left = (counts.voxels(value) + int(change[value]) if counts.ready   # no whole-map count
                else int(np.count_nonzero(labels.array == value)))
        if left <= 0:
            table.put(dataclasses.replace(segment, time_points=()))
