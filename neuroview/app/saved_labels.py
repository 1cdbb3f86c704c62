"""The labels file last saved for each image (no Qt), so that an image opened again by hand
(*File > Open*, ``neuroview IMAGE``) with an empty label map is offered them, as a worklist case is
offered the file its worklist remembers.

Kept in the user's data folder (``saved-labels.json``, written atomically, beside the recent-files
list that holds the same paths), one entry per image: its source (the real path of its file or
DICOM folder, and a SHA-256 digest of the series UID of a DICOM series: the UID itself is a
marker of the patient's study, which the data folder does not keep), its grid (shape and
``ijk_to_ras``, so a file replaced by another image of the same name is offered nothing) and the
labels file. Bounded to the
:data:`MAX_IMAGES` images saved last.
"""

from __future__ import annotations

import contextlib
import os
from typing import Optional

import numpy as np

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting
from ..paths import user_data_dir
from .series_digest import digests

MAX_IMAGES = 200
OFFER_INSTEAD = "no labels file is offered for an image opened again until the next Save labels"


def _store():
    return user_data_dir() / "saved-labels.json"


def _keys(volume) -> tuple[str, ...]:
    """The image's source: its file or folder (real path) and a digest of the series UID of a
    DICOM series (tests/ui/test_privacy_window.py: no UID in the data folder), under the data
    folder's keyed digest, then the plain one of session 44 (``app.series_digest``); () for an
    image of no file."""
    source = os.path.realpath(os.fspath(volume.source_path)) if volume.source_path else ""
    uid = str((volume.source_metadata or {}).get("SeriesInstanceUID", "") or "")
    return tuple(dict.fromkeys(f"{source}|{d}" for d in digests(uid))) if source else ()


def _grid(volume) -> dict:
    return {"shape": [int(n) for n in volume.array.shape[:3]],
            "ijk_to_ras": np.round(np.asarray(volume.ijk_to_ras, float), 4).tolist()}


def _entries() -> list[dict]:
    return _usable(read_setting(_store(), OFFER_INSTEAD, lambda d: isinstance(d, list),
                                "a JSON list"))


def _usable(data) -> list[dict]:
    return [e for e in data or () if isinstance(e, dict) and isinstance(e.get("image"), str)
            and isinstance(e.get("labels"), str)]


def remember_saved_labels(volume, labels_path: str | os.PathLike) -> None:
    """*Save labels* wrote ``labels_path`` for the image ``volume``: offer it when it opens again."""
    keys = _keys(volume)
    if keys:
        _write_first({"image": keys[0], **_grid(volume),
                      "labels": os.path.abspath(os.fspath(labels_path))}, keys)


def _write_first(entry: dict, keys: tuple[str, ...]) -> None:
    """Put ``entry`` first, in place of the entries under any of ``keys``."""
    def change(data: list) -> list:   # the list as another window may have left it
        return ([entry] + [e for e in _usable(data) if e["image"] not in keys])[:MAX_IMAGES]

    with contextlib.suppress(OSError, NeuroviewError):   # a read-only home only loses the offer
        update_setting(_store(), change, OFFER_INSTEAD, "a JSON list", list)


def _same_affine(entry: dict, grid: dict) -> bool:
    """The entry's grid affine is the image's (one of another type or size, as a damaged file
    holds, is not: ``np.allclose`` raised on ``"x"`` or a dict, an internal error at open)."""
    try:
        kept = np.asarray(entry.get("ijk_to_ras"), float)
    except (TypeError, ValueError, RecursionError):
        return False
    return kept.shape == (4, 4) and bool(np.allclose(kept, grid["ijk_to_ras"], atol=1e-3))


def saved_labels_for(volume) -> Optional[str]:
    """The labels file last saved for this image when it is still there and the image has the grid
    it had then, else None. An entry under the plain digest of session 44 is written again
    under the keyed one."""
    keys = _keys(volume)
    grid = _grid(volume)
    for entry in _entries():
        if entry["image"] in keys:
            if entry["image"] != keys[0]:
                _write_first({**entry, "image": keys[0]}, keys)
            same = entry.get("shape") == grid["shape"] and _same_affine(entry, grid)
            return entry["labels"] if same and os.path.isfile(entry["labels"]) else None
    return None


__all__ = ["remember_saved_labels", "saved_labels_for"]
