"""Frames 2.. of a multi-frame file made from its first frame (:func:`frame_like`,
:func:`moved_copies`), and the positions of a classic multi-frame file's frames from its
GridFrameOffsetVector (:func:`grid_offsets`, :func:`offset_position`)."""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ...core.plural import plural
from .fields import as_float
from .refs import FrameRef


def grid_offsets(value, n_frames: int) -> tuple[Optional[list[float]], str]:
    """(an offset in mm per frame, "") from a GridFrameOffsetVector, ``(None, "")`` without
    one, or ``(None, why)`` when it cannot place the frames: fewer or more values than frames or
    values that are not numbers (an IndexError or TypeError, "DICOM file is damaged", before;
    text values placed every frame at offset 0, a 4D series of one slice)."""
    if value is None:
        return None, ""
    values = [value] if isinstance(value, (str, bytes, int, float)) else list(value)
    offsets = [as_float(v) for v in values]
    if len(offsets) != n_frames:
        return None, (f"GridFrameOffsetVector holds {plural(len(offsets), 'value')} for "
                      f"{plural(n_frames, 'frame')} (damaged): the frames cannot be placed")
    if any(v is None or not math.isfinite(v) for v in offsets):
        return None, ("GridFrameOffsetVector holds values that are not finite numbers "
                      "(damaged): the frames cannot be placed")
    return offsets, ""


def moved_copies(first: FrameRef, positions: list, contents: list, top_position, top_temporal,
                 top_time, numbers: tuple) -> list[FrameRef]:
    """Frames 1.. of ``first``'s file where every frame's other groups equal the first's: what
    the loop in :func:`frames_of_dataset` makes of them, with only the values that differ
    (position, temporal index, time) worked out per frame. The whole loop per frame was most
    of the scan's per-frame Python (86,400 frames in ``bench/load.py --study large``).
    ``numbers``: the ``order`` values between the time and the frame index, as the file's."""
    shared = first.__dict__
    out = []
    for index in range(1, len(positions)):
        temporal, time, content = top_temporal, top_time, contents[index]
        if content is not None:
            temporal = temporal if content[0] is None else content[0]
            time = content[1] or time
        ref = object.__new__(FrameRef)
        values = ref.__dict__
        values.update(shared)
        values["frame"], values["position"] = index, positions[index] or top_position
        values["order"] = (temporal, time, *numbers, index)
        out.append(ref)
    return out


def frame_like(first: FrameRef, values: dict) -> FrameRef:
    """``FrameRef(**base, **values)`` for the next frame of ``first``'s file: its fields, then
    ``values``. The dataclass ``__init__`` matching 32 keyword arguments per frame was a sixth
    of reading an enhanced file's header (24 frames a file, 5,760 in the study of
    ``bench/load.py --study enhanced``); copying the first frame's attributes is a tenth of it."""
    ref = object.__new__(FrameRef)
    ref.__dict__.update(first.__dict__)
    ref.__dict__.update(values)
    return ref


def offset_position(position, orientation, offset):
    normal = np.cross(orientation[:3], orientation[3:])
    return tuple(float(x) for x in np.asarray(position) + offset * normal)
