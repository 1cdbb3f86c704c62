"""What the window keeps for an image by its key (``Volume.workspace_key``: its measurements, views
and overlay), found under the key an older neuroview gave it: a 4D image's key was that of its
time point 1 alone until session 50 (``core.image_keys.time_points_key``). Found so, it is kept
under the key of now at once; the older file is left as it was (nothing the user made is lost).

The older key is looked under once per image and kind, the first time this neuroview opens the
image: the keys looked for are kept in ``carried-keys.json`` in the user's data folder (image keys
only, hashes). Until session 51 it was looked under at every open, so the measurements a user
deleted, or the overlay removed, came back the next time the 4D image opened: the record under
the key of now was gone, and the one under the older key was found again."""

from __future__ import annotations

import contextlib

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting
from ..paths import user_data_dir

MAX_IMAGES = 1000
"""Images whose carrying over is kept (the oldest dropped first: an image not opened since
1,000 others is looked under its older key again, where its record was dropped long since)."""
NOT_KEPT = "a 4D image's measurements, views and overlay of before session 50 may come back"


def _store():
    return user_data_dir() / "carried-keys.json"


def _looked(key: str, kind: str) -> bool:
    data = read_setting(_store(), NOT_KEPT, lambda d: isinstance(d, dict), "a JSON object")
    kinds = data.get(key) if isinstance(data, dict) else None
    return isinstance(kinds, list) and kind in kinds


def _mark(key: str, kind: str) -> None:
    def change(earlier: dict) -> dict:
        kinds = earlier.get(key) if isinstance(earlier.get(key), list) else []
        others = {k: v for k, v in earlier.items() if k != key}
        return dict(list({key: [*kinds, kind], **others}.items())[:MAX_IMAGES])

    with contextlib.suppress(OSError, NeuroviewError):   # a read-only home: looked again next time
        update_setting(_store(), change, NOT_KEPT)


def kept_for(volume, read, keep):
    """``read(key)`` of ``volume``'s key, or where that is ``None`` for a 4D image opened here for
    the first time, of its time point 1's key, then written with ``keep(key, record)`` under the
    key of now. The kind of record is told by ``read``'s name (``remembered_view``...)."""
    key = volume.workspace_key()
    record = read(key)
    if record is not None or volume.array.ndim != 4 or _looked(key, read.__name__):
        return record
    record = read(volume.first_time_point_key())
    if record is not None:
        keep(key, record)
    _mark(key, read.__name__)
    return record
