"""Whether the files of a series are still those its scan read, asked before their pixels are.

A file replaced between the folder's scan and the load (a sync, another export copied over the
folder) by another valid image of its size was read as the slice scanned there, without a word
(session 39 left it: only a read that failed asked :mod:`.changed`). The scan keeps each file's
identity (:func:`.changed.identity`: size, times, inode, one ``stat``). Here every file of the
series is looked at again (one ``stat`` each, 3 ms for 800 files); a file whose identity changed
has its header read again by the scan's reader and:

- another image (its SOPInstanceUID, its position or its frames not the scanned ones) is said so,
  with "open the folder again", as a file cut short is: the series is not the one scanned;
- the same image stored otherwise (another transfer syntax, rescale, pixel layout) is said as a
  changed file, the same way;
- the same image as scanned (touched, copied again) is read as it is now.
"""

from __future__ import annotations

import os

from ...core.errors import ChangedSinceScanError
from .changed import REPLACED, RESCAN, changed_since_scan, identity
from .refs import FrameRef
from .scan import read_file

CHANGED = "DICOM file changed since the folder was scanned"


def check_same_files(frames) -> None:
    """Raise :class:`ChangedSinceScanError` (hint: open the folder again) for the first file of
    ``frames`` (:class:`.refs.FrameRef`) that is no longer the image scanned; a file rewritten
    with the same image gets its header as read now. Files gone or unreadable are left to the
    read."""
    by_path: dict[str, list[FrameRef]] = {}
    for ref in frames:
        by_path.setdefault(ref.path, []).append(ref)
    for path, refs in by_path.items():
        stamp = refs[0].header.stamp
        if stamp is None:
            continue
        try:
            now = identity(os.stat(path))
        except OSError:
            continue   # gone: the read says so
        if now != stamp:
            reason = _difference(path, refs)
            if reason:
                raise ChangedSinceScanError(reason, path=path, hint=RESCAN)


def _difference(path: str, refs: list[FrameRef]) -> str:
    """Why the file at ``path`` is not the one whose frames ``refs`` the scan read, or "" when it
    holds the same image (its frames then take the header read now)."""
    fresh = read_file(path)
    if fresh.error is not None or not fresh.frames:
        return changed_since_scan(refs[0]) or f"{REPLACED} (it holds no image now)"
    now = {ref.frame: ref for ref in fresh.frames}
    for ref in refs:
        other = now.get(ref.frame)
        if other is None:
            return (f"{REPLACED} (it holds {len(fresh.frames)} frames now, "
                    f"{ref.n_frames_in_file} when scanned)")
        if other.sop_uid != ref.sop_uid:
            return f"{REPLACED} (it is not the image scanned)"
        if other.position != ref.position:
            return (f"{REPLACED} (its image lies at {_mm(other.position)} now, at "
                    f"{_mm(ref.position)} when scanned)")
        if _stored(other) != _stored(ref):
            return f"{CHANGED} (the same image, stored otherwise now)"
    for ref in refs:
        ref.header = now[ref.frame].header
    return ""


def _stored(ref: FrameRef) -> tuple:
    """What the load reads a frame by."""
    return (ref.rows, ref.cols, ref.samples, ref.orientation, ref.pixel_spacing, ref.slope,
            ref.intercept, ref.transfer_syntax, ref.compressed, ref.pixel_layout,
            ref.n_frames_in_file, ref.mosaic)


def _mm(position) -> str:
    if position is None:
        return "no position"
    return "(" + ", ".join(f"{value:g}" for value in position) + ") mm"
