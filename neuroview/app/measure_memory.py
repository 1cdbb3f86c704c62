"""The rulers, angles, ellipses and rectangles drawn on each image, given back when the image opens
again, as ITK-SNAP's workspace and Slicer's scene keep their markups: on their view and slice, with
the same points, the figures of an ellipse or a rectangle read again from the image (those of the
time point shown, as while drawn).

Kept in ``drawn-measurements/KEY.json`` in the user's data folder (0600 in a 0700 folder, as every
file there), one small file per image, named by the image's key (``Volume.workspace_key``: a hash
of its voxels and geometry): only numbers (the RAS mm of their points; an ellipse's or a
rectangle's view axes and slice thickness) and the view's name, no figure, name, path or UID. The
window writes it at every change (``ui.measure_recall``), atomically: a kill during a write leaves
the file as it was before it; the fsyncs run on another thread (``core.sync_later``). Two
windows showing one image each keep what the other drew (:func:`merged`). The newest
:data:`MAX_IMAGES` images are kept. A damaged file is said once and kept aside, and the image
opens without its measurements; a damaged entry is left out and counted
(:func:`measurements_from`), the others given back.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import time
from pathlib import Path

import numpy as np

from ..core.errors import NeuroviewError
from ..core.settings_file import STALE_S, changing, read_setting
from ..core.sync_later import write_text_soon_durable
from ..paths import user_data_dir, user_data_path
from .view_measure import Angle, DrawnRegion, Ellipse, Rectangle, Ruler
from .view_state import PLANES

MEMORY_FOLDER = "drawn-measurements"
_PLAIN_KEY = re.compile(r"[0-9A-Za-z_-]{1,128}")
MAX_IMAGES = 200
NOT_KEPT = "images open without the measurements drawn on them"
"""What neuroview does without a readable ``drawn-measurements/KEY.json``."""
KINDS = {"ruler": (Ruler, 2), "angle": (Angle, 3), "ellipse": (Ellipse, 2), "rectangle": (Rectangle, 2)}
"""Each kind's class and number of points, by the name the file gives it."""
MAX_ENTRIES = 1000
"""The most measurements given back for one image (a file made to hold a million ellipses would
read each one's voxels); those after are left out as damaged."""


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


def image_file(key: str) -> Path | None:
    """The file of the image of ``key`` (whether it exists or not); None for a key that is no
    plain name (``Volume.workspace_key`` is hex)."""
    if not _PLAIN_KEY.fullmatch(key):
        return None
    return user_data_path() / MEMORY_FOLDER / f"{key}.json"


def _read(path: Path):
    return read_setting(path, NOT_KEPT, lambda d: isinstance(d, list), "a JSON list")


def remembered_measurements(key: str):
    """The record kept for the image of ``key`` (``Volume.workspace_key``), or None (none kept,
    or all of them deleted)."""
    path = image_file(key)
    if path is None or not path.exists():
        return None
    return _read(path) or None


def merged(current: list, base: list, mine: list) -> list:
    """``mine``, a window's record, written over ``current``, the file's: when another window
    changed it since ``base`` (what this window read or wrote last), the entries this window
    added since ``base`` are put after the file's, those it deleted (or moved) taken out of it;
    the other window's are kept."""
    if current == base:
        return list(mine)
    removed = [entry for entry in base if entry not in mine]
    return ([entry for entry in current if entry not in removed]
            + [entry for entry in mine if entry not in base and entry not in current])


def remember_measurements(key: str, record: list[dict], base: list | None = None) -> list:
    """Keep ``record`` for the image of ``key`` in its own file, the oldest images' files beyond
    :data:`MAX_IMAGES` deleted; an empty one drops the image's. With ``base`` (the record the
    window read or wrote last), entries another window kept for the image meanwhile stay
    (:func:`merged`). Written on this thread under a lock, the fsyncs soon after on another
    (``core.sync_later``); a folder that cannot be written keeps nothing, as for the views.
    Returns the record the file holds now."""
    path = image_file(key)
    if path is None:
        return record
    with contextlib.suppress(OSError, NeuroviewError), changing(user_data_dir() / MEMORY_FOLDER):
        new = not path.exists()
        if base is not None:
            record = merged(([] if new else _read(path)) or [], base, record)
        if record:
            write_text_soon_durable(path, json.dumps(record))
        else:
            path.unlink(missing_ok=True)
        if new:
            _drop_oldest(path.parent)
    return record


def _drop_oldest(folder: Path) -> None:
    """Delete the files of the images beyond the newest :data:`MAX_IMAGES`, and the temporaries
    that killed writes left (``.KEY.k2j4x8ab.json``, :data:`~..core.settings_file.STALE_S` old:
    a younger one may be another window's, being written)."""
    written, now = {}, time.time_ns()
    for file in folder.glob("*.json"):
        with contextlib.suppress(OSError):   # another window's write may replace it meanwhile
            if not file.name.startswith("."):
                written[file] = file.stat().st_mtime_ns
            elif now - file.stat().st_mtime_ns >= STALE_S * 10**9:
                file.unlink()
    for old in sorted(written, key=written.get, reverse=True)[MAX_IMAGES:]:
        with contextlib.suppress(OSError):
            old.unlink()
