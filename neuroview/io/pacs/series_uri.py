"""A series on a configured DICOM server named as a study input: ``pacs://SERVER/SERIES_UID`` or
``pacs://SERVER/STUDY_UID/SERIES_UID``.

:func:`fetch` retrieves the series through the local cache (as ``neuroview pacs get`` does; a
series already cached is not fetched again) and returns its folder, which ``neuroview.io.load``
reads like any DICOM folder. Without the study UID the server is asked which study the series
belongs to (a C-FIND or QIDO-RS search at series level).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.plural import plural
from . import retrieve
from .cache import SeriesCache, check_uid
from .callbacks import CancelCheck, Progress, never_cancelled, no_progress
from .config import PacsError, get_server

SCHEME = "pacs://"


@dataclass(frozen=True)
class SeriesURI:
    server: str
    series_uid: str
    study_uid: str = ""

    def __str__(self) -> str:
        uids = f"{self.study_uid}/{self.series_uid}" if self.study_uid else self.series_uid
        return f"{SCHEME}{self.server}/{uids}"


def is_series_uri(text) -> bool:
    return isinstance(text, str) and text.startswith(SCHEME)


def parse(text: str) -> SeriesURI:
    """``pacs://SERVER/[STUDY_UID/]SERIES_UID``; a clear error for anything else."""
    parts = text[len(SCHEME):].strip("/").split("/") if is_series_uri(text) else []
    if len(parts) not in (2, 3) or not all(parts):
        raise PacsError(f"{text!r} is not a PACS series: write pacs://SERVER/SERIES_UID or "
                        "pacs://SERVER/STUDY_UID/SERIES_UID (SERVER as configured with "
                        "neuroview pacs add)")
    server, *uids = parts
    for uid, name in zip(uids, ("StudyInstanceUID", "SeriesInstanceUID")[-len(uids):]):
        check_uid(uid, name)
    return SeriesURI(server, uids[-1], uids[0] if len(uids) == 2 else "")


def fetch(text: str, cache: SeriesCache | None = None, progress: Progress = no_progress,
          cancel: CancelCheck = never_cancelled, what: str = "the series") -> Path:
    """The local folder of the series ``text`` names, retrieved into ``cache`` when not there.
    ``progress`` hears ``retrieving the baseline from lab: 120 of 360 images`` (``what``: the
    series in words) or ``...: checking 120 kept images...``, as *Open from PACS...* says it: a
    follow-up's status bar said ``retrieving`` alone, no count, until session 51."""
    uri = parse(text)
    cache = cache or SeriesCache()

    def counted(done, total, said: str = "") -> None:
        counts = said if said.startswith("checking") else f"{done} of {plural(total, 'image')}"
        progress(done, total, f"retrieving {what} from {uri.server}: {counts}")

    try:
        config = get_server(uri.server)
    except PacsError:   # a server no longer configured: the copy held, if any
        cached = cache.lookup(uri.series_uid)
        if cached is None:
            raise
        return cached
    return retrieve(config, uri.study_uid, uri.series_uid, cache, progress=counted, cancel=cancel)
