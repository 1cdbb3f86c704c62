"""The rulers, angles, ellipses and rectangles drawn on each image, given back when the image opens
again, as ITK-SNAP's workspace and Slicer's scene keep their markups: on their view and slice, with
the same points, the figures of an ellipse or a rectangle read again from the image (those of the
time point shown, as while drawn).

Kept in ``drawn-measurements.json`` in the user's data folder (0600 in a 0700 folder, as every file
there), keyed by the image's key (``Volume.workspace_key``: a hash of its voxels and geometry), as
``views.json`` keeps the views: only numbers (the RAS mm of their points; an ellipse's or a
rectangle's view axes and slice thickness) and the view's name, no figure, name, path or UID. The
window writes it at every change (``ui.measure_recall``), atomically: a kill during a write leaves
the file as it was before it (``core.settings_file``). The newest :data:`MAX_IMAGES` images are
kept. A damaged file is said once and kept aside, and images open without their measurements; a
damaged entry is left out and counted (:func:`measurements_from`), the others given back.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting
from ..paths import user_data_dir, user_data_path
from .view_measure import Angle, DrawnRegion, Ellipse, Rectangle, Ruler
from .view_state import PLANES

MEMORY_FILE = "drawn-measurements.json"
MAX_IMAGES = 200
NOT_KEPT = "images open without the measurements drawn on them"
"""What neuroview does without a readable ``drawn-measurements.json``."""
KINDS = {"ruler": (Ruler, 2), "angle": (Angle, 3), "ellipse": (Ellipse, 2), "rectangle": (Rectangle, 2)}
"""Each kind's class and number of points, by the name the file gives it."""
MAX_ENTRIES = 1000
"""The most measurements given back for one image (a file made to hold a million ellipses would
read each one's voxels); those after are left out as damaged."""


def memory_file():
    """Where :func:`remember_measurements` keeps them (whether it exists or not)."""
    return user_data_path() / MEMORY_FILE


def measure_record(items) -> list[dict]:
    """``items`` (rulers, angles, ellipses, rectangles) as plain numbers, in their order."""
    record = []
    for item in items:
        entry = {"kind": item.kind.lower(), "plane": item.plane,
                 "points": [[float(v) for v in p] for p in item.points]}
        if isinstance(item, DrawnRegion):
            entry["axes"] = [[float(v) for v in axis] for axis in item.axes]
            entry["thickness_mm"] = float(item.thickness_mm)
        record.append(entry)
    return record


def _numbers(value, rows: int) -> np.ndarray | None:
    """``value`` as ``rows`` x 3 finite floats, or None."""
    if not isinstance(value, list) or len(value) != rows:
        return None
    if not all(isinstance(row, list) and len(row) == 3 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in row)
            for row in value):
        return None
    return np.array(value, float)


def _far_off(volume, points) -> bool:
    """Whether a point lies farther off the image than the image is long (a measurement drawn
    on it reaches past its edge, not that far)."""
    ijk = volume.ras_to_ijk_points(points)
    shape = np.asarray(volume.shape[:3], float)
    return bool(np.any(ijk < -shape) or np.any(ijk > 2 * shape))


def _largest_voxel_mm(volume) -> float:
    """The voxel's longest side (mm): one slice of a view is never thicker than its diagonal."""
    return float(np.linalg.norm(volume.ijk_to_ras[:3, :3], axis=0).max())


def _item(entry, volume):
    """The measurement of one entry, or what is wrong with it (a few words)."""
    if not isinstance(entry, dict):
        return "not a JSON object"
    kind = KINDS.get(entry.get("kind")) if isinstance(entry.get("kind"), str) else None
    if kind is None:
        return "of no kind this neuroview knows"
    name = ("an " if entry["kind"][0] in "aeiou" else "a ") + entry["kind"]
    if entry.get("plane") not in PLANES:
        return f"{name} of no view (axial, coronal or sagittal)"
    points = _numbers(entry.get("points"), kind[1])
    if points is None:
        return f"{name} whose points are not {kind[1]} points of 3 numbers"
    if _far_off(volume, points):
        return f"{name} whose points lie far off the image"
    if not issubclass(kind[0], DrawnRegion):
        item = kind[0](entry["plane"], *points)
    else:
        axes, thickness = _numbers(entry.get("axes"), 3), entry.get("thickness_mm")
        if axes is None or not np.allclose(axes @ axes.T, np.eye(3), atol=1e-6):
            return f"{name} whose view axes are not three unit axes at right angles"
        if isinstance(thickness, bool) or not isinstance(thickness, (int, float)) \
                or not 0 < thickness <= 2 * _largest_voxel_mm(volume):
            return f"{name} whose thickness is not that of one slice of the image"
        item = kind[0](entry["plane"], *points, axes, float(thickness))
        item.read(volume)
    if item.value_text is None:
        return f"{name} of no {'length' if kind[0] is Ruler else 'size'}"
    return item


def measurements_from(record, volume) -> tuple[list, list[str]]:
    """The measurements ``record`` (:func:`measure_record`) holds, an ellipse's or rectangle's
    figures read from ``volume`` (the time point shown), and what is wrong with each entry left
    out; a record that is no list gives nothing, and says so."""
    if not isinstance(record, list):
        return [], ["not a list of measurements"]
    items, problems = [], []
    for entry in record[:MAX_ENTRIES]:
        item = _item(entry, volume)
        (problems if isinstance(item, str) else items).append(item)
    problems += [f"past the first {MAX_ENTRIES} of the image"] * len(record[MAX_ENTRIES:])
    return items, problems


def _all() -> dict:
    data = read_setting(memory_file(), NOT_KEPT, lambda d: isinstance(d, dict), "a JSON object")
    return data if isinstance(data, dict) else {}


def remembered_measurements(key: str):
    """The record kept for the image of ``key`` (``Volume.workspace_key``), or None."""
    return _all().get(key)


def remember_measurements(key: str, record: list[dict]) -> None:
    """Keep ``record`` for the image of ``key``, newest first, the oldest beyond
    :data:`MAX_IMAGES` dropped; an empty one drops the image's. The records other windows keep
    meanwhile stay (:func:`~neuroview.core.settings_file.update_setting`); a folder that cannot be
    written keeps nothing, as for the views."""
    def change(earlier: dict) -> dict:
        records = {key: record} if record else {}
        records.update((k, v) for k, v in earlier.items() if k != key)
        return dict(list(records.items())[:MAX_IMAGES])

    with contextlib.suppress(OSError, NeuroviewError):
        update_setting(user_data_dir() / MEMORY_FILE, change, NOT_KEPT)
