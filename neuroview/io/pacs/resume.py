"""The images an earlier try of a retrieval kept (:meth:`.cache.SeriesCache.incoming`): which of
them can stand for the server's, so that a retry after a cancel, or a server lost mid-transfer,
asks only for the others (it fetched the series whole until session 48)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from ...core.errors import Cancelled
from ...core.plural import plural
from .cache import kept_for_retry
from .callbacks import CancelCheck, Progress, never_cancelled, no_progress
from .payload import foreign, read_instance


def verified(folder: Path, study_uid: str, series_uid: str, listed: set[str], identity,
             progress: Progress = no_progress, cancel: CancelCheck = never_cancelled) -> set[str]:
    """The SOPInstanceUIDs of the images in ``folder`` that are whole, readable instances of the
    series asked for, of the study's patient (``identity``: :class:`.identity.StudyIdentity`),
    each named by its SOPInstanceUID and among those the server lists now (``listed``); every
    other ``.dcm`` file of ``folder`` is deleted. Each image is read whole: ``progress`` counts
    them (``checking 160 kept images...``; the window said only ``Retrieving from SERVER`` until
    session 48) and ``cancel`` stops it between two (:class:`Cancelled`; those not yet checked
    stay kept)."""
    files = list(folder.glob("*.dcm"))
    text = f"checking {plural(len(files), 'kept image')}..."
    good = set()
    for done, file in enumerate(files):
        if cancel():
            raise Cancelled(f"retrieval cancelled; {kept_for_retry(len(files) - done + len(good))}")
        progress(done, len(files), text)
        uid = file.stem
        try:
            ds = read_instance(file, f"kept instance {uid}")
            whole = uid in listed and not foreign(ds, study_uid, series_uid, uid, identity) and _whole(ds)
        except Exception:  # noqa: BLE001 - any file pydicom cannot read is fetched again
            whole = False
        if whole:
            good.add(uid)
        else:
            with contextlib.suppress(OSError):
                file.unlink()
    return good


NO_PIXELS = ("SR", "PR", "KO", "DOC")
"""Modalities of instances with no pixel data (reports, presentation states, key objects)."""


def _whole(ds) -> bool:
    """Whether the image's pixel data is all there: pydicom reads a file cut short without a word,
    its last value short or its last elements missing. Uncompressed pixel data is measured;
    compressed data ends with its sequence delimiter, which pydicom requires."""
    if "PixelData" not in ds:
        return str(ds.get("Modality", "")) in NO_PIXELS
    if ds.file_meta.TransferSyntaxUID.is_encapsulated:
        return True
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    wanted = (int(ds.Rows) * int(ds.Columns) * int(ds.get("SamplesPerPixel", 1))
              * int(ds.BitsAllocated) * frames + 7) // 8
    return len(ds.PixelData) >= wanted
