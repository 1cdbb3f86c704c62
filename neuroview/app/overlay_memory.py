"""The overlay series each image was left with (*View > Other series > Overlay series...*), laid
again when the image opens again, as ``.view_memory`` gives back its window/level and slices:
the file picked, the series chosen in it, whether the user said *Overlay anyway*, and how it was
drawn (its window/level, opacity, colours, whether shown, the time point of a 4D one).

Kept in ``overlays.json`` in the user's data folder (0600 in a 0700 folder, as every file there),
keyed by the image's key (``Volume.workspace_key``: a hash of its voxels and geometry). Unlike
``views.json`` it names a file, as ``recent.json`` (*File > Recent*) does: the overlay's path
and a digest of its series' key (``app.series_digest``: a DICOM SeriesInstanceUID is a marker of
the study, which the data folder does not keep; the UID itself was kept until session 44, its
plain SHA-256 until session 45).
Written when an overlay is laid or removed, a second after a change of its settings and when the
image is left (``ui.actions_fusion``), so a crash leaves it as it was drawn. The newest
:data:`MAX_IMAGES` images are kept; a damaged file is said once and kept aside
(``core.settings_file``), and images open without their overlay.
"""

from __future__ import annotations

import contextlib
import math

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting
from ..paths import user_data_dir, user_data_path
from .series_digest import digests, series_digest

MEMORY_FILE = "overlays.json"
MAX_IMAGES = 200
NOT_KEPT = "images open without the overlay series they were left with"
"""What neuroview does without a readable ``overlays.json``."""
COLOURS = ("hot", "grey")
"""The colour scales a record may name (``render.fusion.COLOUR_SCALES``)."""


def overlay_record(layer, path: str, series: str, aligned: bool) -> dict:
    """The overlay ``layer`` (``app.fusion.FusionLayer``) read from ``path`` (its series
    ``series``: a ``SeriesCandidate.key``, "" for a file of one series, kept as its digest) as
    plain values; ``aligned``: laid with *Overlay anyway*."""
    return {"path": str(path), "series": series_digest(str(series)), "aligned": bool(aligned),
            "window": float(layer.window), "level": float(layer.level),
            "opacity": float(layer.opacity), "colours": str(layer.colours),
            "visible": bool(layer.visible), "frame": int(layer.frame)}


def _number(value) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def settings_back(layer, record: dict) -> None:
    """Put the drawing settings of ``record`` (:func:`overlay_record`) back on ``layer``, each that
    fits (a window above 0, an opacity 0..1, a colour scale known, a time point it has); the
    others stay as the layer opened."""
    window, level = _number(record.get("window")), _number(record.get("level"))
    if window is not None and level is not None and window > 0:
        layer.window, layer.level = window, level
    opacity = _number(record.get("opacity"))
    if opacity is not None and 0 <= opacity <= 1:
        layer.opacity = opacity
    if record.get("colours") in COLOURS:
        layer.colours = record["colours"]
    if isinstance(record.get("visible"), bool):
        layer.visible = record["visible"]
    frame = record.get("frame")
    if isinstance(frame, int) and not isinstance(frame, bool) and 0 <= frame < layer.volume.n_frames:
        layer.frame = frame


def _all() -> dict:
    data = read_setting(user_data_path() / MEMORY_FILE, NOT_KEPT, lambda d: isinstance(d, dict),
                        "a JSON object")
    return data if isinstance(data, dict) else {}


def is_series(record: dict, candidate) -> bool:
    """Whether the ``candidate`` scanned (a ``SeriesCandidate``) is the series ``record`` keeps
    (under the data folder's keyed digest, or the plain one of session 44: laid again, the
    overlay is written under the keyed one)."""
    return record.get("series") in digests(candidate.key)


def remembered_overlay(key: str) -> dict | None:
    """The overlay kept for the image of ``key``, or None (none kept, or a record without a path
    or series it can use)."""
    record = _all().get(key)
    if not isinstance(record, dict) or not isinstance(record.get("path"), str) \
            or not record["path"] or not isinstance(record.get("series", ""), str):
        return None
    return record


def remember_overlay(key: str, record: dict | None) -> None:
    """Keep ``record`` for the image of ``key``, newest first (None: forget the image's overlay);
    a folder that cannot be written keeps nothing (an overlay is not worth an error). The records
    other windows keep meanwhile stay (:func:`~neuroview.core.settings_file.update_setting`)."""
    def change(earlier: dict) -> dict:
        others = {k: v for k, v in earlier.items() if k != key}
        records = others if record is None else {key: record, **others}
        return dict(list(records.items())[:MAX_IMAGES])

    if record is None and key not in _all():
        return   # nothing kept: no file written
    with contextlib.suppress(OSError, NeuroviewError):
        update_setting(user_data_dir() / MEMORY_FILE, change, NOT_KEPT)
