"""What the window keeps for an image by its key (``Volume.workspace_key``: its measurements, views
and overlay), found under the key an older neuroview gave it: a 4D image's key was that of its
time point 1 alone until session 50 (``core.image_keys.time_points_key``). Found so, it is kept
under the key of now at once; the older file is left as it was (nothing the user made is lost)."""

from __future__ import annotations


def kept_for(volume, read, keep):
    """``read(key)`` of ``volume``'s key, or where that is ``None`` for a 4D image, of its time
    point 1's key, then written with ``keep(key, record)`` under the key of now."""
    key = volume.workspace_key()
    record = read(key)
    if record is None and volume.array.ndim == 4:
        record = read(volume.first_time_point_key())
        if record is not None:
            keep(key, record)
    return record
