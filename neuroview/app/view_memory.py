"""How the user left each image's views, given back when the image opens again, as a PACS viewer
or Horos reopens a study as it was read: the slice each view shows (the crosshair), the
window/level, each slice view's zoom, pan and thick slab, and the 3D view's camera. The layout is
the window's, for every image (``ui.controller``), and is not kept here.

Kept in ``views.json`` in the user's data folder (0600 in a 0700 folder, as every file there),
keyed by the image's key (``Volume.workspace_key``: a hash of its voxels and geometry), so no
name, path or UID of a patient is written: only numbers of the views. The newest
:data:`MAX_IMAGES` images are kept. A record that does not fit the image (another grid, numbers
out of range) gives back nothing of what does not fit; a damaged file is said once and kept aside
(``core.settings_file``), and the views open as they always did.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from ..core import geometry
from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting
from ..paths import user_data_dir, user_data_path
from .view_slab import MAX_THICKNESS_MM, SLAB_MODES, Slab
from .view_state import PLANES

MEMORY_FILE = "views.json"
MAX_IMAGES = 200
ZOOM_RANGE = (1e-3, 1e3)


def view_record(state, camera=None) -> dict:
    """The views of ``state`` (an ``app.view_state.ViewerState``) as plain numbers; ``camera``:
    the 3D view's ``(position, focal point, view up, parallel scale, view angle)``, or None."""
    record = {
        "crosshair": [float(v) for v in state.crosshair_ras],
        "window": float(state.window), "level": float(state.level),
        "views": {plane: {"zoom": float(view.zoom), "pan": [float(v) for v in view.pan_mm]}
                  for plane, view in state.views.items()},
        "slabs": {plane: {"mm": float(slab.thickness_mm), "mode": slab.mode}
                  for plane, slab in state.slabs.items()},
    }
    if camera is not None:
        record["camera"] = [list(map(float, camera[0])), list(map(float, camera[1])),
                            list(map(float, camera[2])), float(camera[3]), float(camera[4])]
    return record


def _numbers(value, n: int):
    """``value`` as ``n`` finite floats, or None."""
    if not isinstance(value, list) or len(value) != n:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
               for v in value):
        return None
    return [float(v) for v in value]


def _inside(state, p_ras) -> bool:
    """Whether ``p_ras`` lies within the image's voxels (half a voxel beyond the centres)."""
    ijk = geometry.apply_affine(state.ras_to_ijk, np.asarray(p_ras, float))
    return bool(np.all(ijk >= -0.5) and np.all(ijk <= np.asarray(state.shape) - 0.5))


def give_back(state, record) -> tuple | None:
    """Put the views of ``record`` (:func:`view_record`) back on ``state``, each part that fits
    the image; returns the 3D camera to give back (None: none kept, or not usable)."""
    if not isinstance(record, dict):
        return None
    crosshair = _numbers(record.get("crosshair"), 3)
    if crosshair is not None and _inside(state, crosshair):
        state.set_crosshair(crosshair)
    window, level = _numbers([record.get("window"), record.get("level")], 2) or (0.0, 0.0)
    if window > 0:
        state.set_window_level(window, level)
    views = record.get("views") if isinstance(record.get("views"), dict) else {}
    slabs = record.get("slabs") if isinstance(record.get("slabs"), dict) else {}
    for plane in PLANES:
        view = views.get(plane) if isinstance(views.get(plane), dict) else {}
        zoom = _numbers([view.get("zoom")], 1)
        pan = _numbers(view.get("pan"), 2)
        if zoom is not None and pan is not None and ZOOM_RANGE[0] <= zoom[0] <= ZOOM_RANGE[1]:
            state.views[plane].zoom = zoom[0]
            state.views[plane].pan_mm = np.asarray(pan)
        slab = slabs.get(plane) if isinstance(slabs.get(plane), dict) else {}
        thickness = _numbers([slab.get("mm")], 1)
        mode = slab.get("mode") if isinstance(slab.get("mode"), str) else None   # a list: no mode
        if thickness is not None and 0 <= thickness[0] <= MAX_THICKNESS_MM and mode in SLAB_MODES:
            state.slabs[plane] = Slab(thickness[0], slab["mode"])
    camera = record.get("camera")
    if not isinstance(camera, list) or len(camera) != 5:
        return None
    parts = [_numbers(camera[0], 3), _numbers(camera[1], 3), _numbers(camera[2], 3),
             _numbers(camera[3:5], 2)]
    if any(part is None for part in parts) or parts[3][0] <= 0 or not 0 < parts[3][1] < 180:
        return None
    return (*parts[:3], *parts[3])


NOT_KEPT = "images open with their views as at first"
"""What neuroview does without a readable ``views.json``."""


def _all() -> dict:
    data = read_setting(user_data_path() / MEMORY_FILE, NOT_KEPT, lambda d: isinstance(d, dict),
                        "a JSON object")
    return data if isinstance(data, dict) else {}


def remembered_view(key: str) -> dict | None:
    """The views kept for the image of ``key`` (``Volume.workspace_key``), or None."""
    record = _all().get(key)
    return record if isinstance(record, dict) else None


def remember_view(key: str, record: dict) -> None:
    """Keep ``record`` for the image of ``key``, newest first, the oldest beyond
    :data:`MAX_IMAGES` dropped; a folder that cannot be written keeps nothing (a view is not
    worth an error). A record with no camera (the 3D view was not made: a layout without it)
    keeps the camera kept before. The records other windows keep meanwhile stay
    (:func:`~neuroview.core.settings_file.update_setting`)."""
    def change(earlier: dict) -> dict:
        before = earlier.get(key)
        mine = record
        if "camera" not in mine and isinstance(before, dict) and "camera" in before:
            mine = {**mine, "camera": before["camera"]}
        records = {key: mine, **{k: v for k, v in earlier.items() if k != key}}
        return dict(list(records.items())[:MAX_IMAGES])

    with contextlib.suppress(OSError, NeuroviewError):
        update_setting(user_data_dir() / MEMORY_FILE, change, NOT_KEPT)
