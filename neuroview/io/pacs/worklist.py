"""A worklist from a query: the series matching a search that a reader has not segmented yet.

Series are found with C-FIND or QIDO-RS (study filters such as a date range and modality, then a
series description such as ``*FLAIR*``); a series counts as segmented by the reader when a SEG
of its study whose series description says it is that reader's version (the description
``save_mask_to_pacs`` writes, ``Lesions - Ann Smith's version``, or ``Smith^Ann's version`` as it
wrote before) refers to it. The reader is named as typed (``Ann Smith``, ``Smith, Ann``) or in
DICOM's PN form (``Smith^Ann``). The series left are retrieved into a folder, one sub-folder each
(named by series UID), with a ``worklist-READER.csv`` (cases named by study date and series
description) that *File > Worklist > Open worklist CSV...* opens; its statuses are kept per
reader beside that file. The window makes the same from its search (*Open from PACS... > Make
worklist...*).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ...core.atomic import fsync_dir, write_text_atomic
from ...core.csv_text import spreadsheet_text
from ...core.errors import Cancelled
from ...core.safepath import copy_tree_with_room
from ..dicom.person_name import dicom_name, readable_name
from . import find, retrieve
from .cache import SeriesCache
from .config import PacsError, ServerConfig
from .identifiers import image_count
from .payload import read_instance


@dataclass
class WorklistEntry:
    study_uid: str
    series_uid: str
    description: str
    date: str
    images: int | None = None
    """The images the server listed for the series (None: not asked)."""


def _mine(description: str, reader: str) -> bool:
    """Whether ``description`` is ``reader``'s version: the name as people read it (``Ann Smith``),
    or in PN form (``Smith^Ann``), as descriptions were written before."""
    name = dicom_name(reader)
    return any(f"- {form}'s version" in description for form in {readable_name(name), name} if form)


def file_name(reader: str) -> str:
    """``reader`` (``Ann Smith``, ``Smith, Ann`` or ``Smith^Ann``) in a file name: ``Smith_Ann``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", dicom_name(reader)).strip("_") or "reader"


def _segmented(config: ServerConfig, study_uid: str, seg_series: list[dict], cache: SeriesCache,
               protocol: str) -> set[str] | None:
    """The series the SEG series ``seg_series`` refer to (their ReferencedSeriesSequence; the SEGs
    are small and go through the cache), or None when one cannot be read."""
    import pydicom

    referenced: set[str] = set()
    for entry in seg_series:
        try:
            folder = retrieve(config, study_uid, entry["SeriesInstanceUID"], cache, protocol,
                              images=image_count(entry))
            for file in sorted(folder.glob("*.dcm")):
                ds = read_instance(file, f"{config.name}: SEG {file.name}", stop_before_pixels=True)
                referenced.update(str(item.get("SeriesInstanceUID", ""))
                                  for item in ds.get("ReferencedSeriesSequence", []) or [])
        except (PacsError, OSError, ValueError, pydicom.errors.InvalidDicomError):
            return None
    return referenced


def pending_series(config: ServerConfig, reader: str, series_description: str = "",
                   protocol: str = "auto", cache: SeriesCache | None = None,
                   **study_query) -> list[WorklistEntry]:
    """Series matching the query that ``reader`` has no SEG of yet, oldest study first. A SEG of
    the reader counts for the series it refers to; when one cannot be read, for its whole study."""
    out = []
    studies = find(config, "STUDY", protocol, **study_query)
    studies.sort(key=lambda s: (s.get("StudyDate", ""), s.get("StudyInstanceUID", "")))
    for study in studies:
        uid = study["StudyInstanceUID"]
        series = find(config, "SERIES", protocol, StudyInstanceUID=uid)
        mine = [s for s in series if s.get("Modality") == "SEG"
                and _mine(s.get("SeriesDescription", ""), reader)]
        done: set[str] = set()
        if mine:
            done = _segmented(config, uid, mine, cache if cache is not None else SeriesCache(), protocol)
            if done is None:
                continue
        wanted = [s for s in series if s.get("Modality") != "SEG" and s["SeriesInstanceUID"] not in done]
        if series_description:
            pattern = re.compile(
                "^" + re.escape(series_description).replace(r"\*", ".*").replace(r"\?", ".") + "$",
                re.IGNORECASE)
            wanted = [s for s in wanted if pattern.match(s.get("SeriesDescription", ""))]
        for entry in wanted:
            out.append(WorklistEntry(uid, entry["SeriesInstanceUID"], entry.get("SeriesDescription", ""),
                                     study.get("StudyDate", ""), image_count(entry)))
    return out


def case_name(entry: WorklistEntry) -> str:
    """The worklist's name for a series, as the window shows it ("case 1 of 3 (...)"): its study
    date and description, and the end of its UID to tell apart two series described alike
    (the folder keeps the whole UID)."""
    date = entry.date
    if len(date) == 8 and date.isdigit():
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    words = " ".join(part for part in (date, entry.description.strip()) if part) or "series"
    return f"{words} (..{entry.series_uid[-6:]})"


def build_worklist(config: ServerConfig, entries: list[WorklistEntry], folder: str | os.PathLike,
                   reader: str, cache: SeriesCache, protocol: str = "auto", progress=None,
                   cancel=None) -> Path:
    """Retrieve ``entries`` into ``folder`` and write the reader's worklist CSV; returns its path.
    ``cancel`` (a callable) stops between and within series; the series already there stay."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "path", "status"])
    for number, entry in enumerate(entries, start=1):
        if cancel is not None and cancel():
            raise Cancelled(f"worklist cancelled after {number - 1} of {len(entries)} series")
        source = retrieve(config, entry.study_uid, entry.series_uid, cache, protocol,
                          cancel=cancel if cancel is not None else (lambda: False), images=entry.images)
        target = folder / entry.series_uid
        if not target.exists():
            partial = folder / f".partial-{entry.series_uid}"
            shutil.rmtree(partial, ignore_errors=True)
            copy_tree_with_room(source, partial, f"series {number} of {len(entries)}", PacsError)
            os.replace(partial, target)
            fsync_dir(folder)
        writer.writerow([spreadsheet_text(case_name(entry)), spreadsheet_text(entry.series_uid), "new"])
        if progress is not None:
            progress(number, len(entries), entry.description)
    path = folder / f"worklist-{file_name(reader)}.csv"
    write_text_atomic(path, rows.getvalue())
    return path
