"""The series a picked path stands for where another series of a study is wanted (the window's
*Overlay series...* and *Compare series side by side...*, ``snapshot --overlay``): a DICOM file
stands for its whole series, read from its folder; a file that is not an image is refused as
``neuroview info`` refuses it, before its folder is read."""

from __future__ import annotations

import os
from typing import Optional

from ..core.jobs import CancelToken, ProgressFn
from .candidates import ScanResult, SeriesCandidate
from .registry import is_volume_path, scan


def scan_picked(path: str, progress: Optional[ProgressFn] = None,
                cancel: Optional[CancelToken] = None) -> tuple[ScanResult, SeriesCandidate | None]:
    """The scan ``path`` is chosen from and the series it names, if it names one: a folder or a
    NIfTI/NRRD/MetaImage file, its own scan (None: a folder of several series is chosen from);
    a DICOM image file, its folder's scan and the file's series in it; a DICOMDIR, the series it
    lists. A file that is no image (a text note, ``/dev/null``) raises the :class:`LoadError`
    ``info`` says for it, nothing else read (its folder was scanned: ``/dev`` for
    ``/dev/null``, and a note beside a DICOM series overlaid that series)."""
    path = os.fspath(path)
    if os.path.isdir(path) or is_volume_path(path):
        return scan(path, progress, cancel), None
    alone = scan(path, progress, cancel)   # not an image: info's one line, raised here
    own = alone.holding(path)
    if own is None:   # a DICOMDIR: the series it lists
        return alone, None
    folder = scan(os.path.dirname(os.path.abspath(path)), progress, cancel)
    whole = folder.holding(path)
    return (folder, whole) if whole is not None else (alone, own)
