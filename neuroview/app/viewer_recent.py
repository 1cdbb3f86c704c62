"""The recent-files list of the viewer, kept in the user's data folder as JSON (no Qt).

Each entry is the paths opened together and, when they held several series and the user chose
one, that series (a digest of its scan key, ``app.series_digest``: no DICOM UID, which until
session 44 was kept; how its uneven slices were placed, its description): *File >
Recent* reopens it without the series chooser, as ITK-SNAP and Slicer reopen what was open.
The menu names each entry by its name and folder (:func:`recent_labels`), its whole path on hover;
a series retrieved from a PACS (a folder of the PACS cache, named by its UID) as *Open from
PACS...* shows it, ``MR 3 FLAIR, 2026-12-07 14:30 — PACS`` (:func:`pacs_series_label`); the
file keeps that folder as a digest of its name (``pacs-cache:DIGEST``), not the UID, which it
kept in session 47's first version.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..core.errors import NeuroviewError
from ..core.settings_file import read_setting, update_setting, write_setting
from ..paths import user_data_dir
from .series_digest import digests, series_digest
from .shown_path import full_path

MAX_RECENT = 10
PACS_KEPT = "pacs-cache:"
"""How ``recent.json`` names a folder of the PACS cache: this, then the digest of its name."""


@dataclass(frozen=True)
class RecentEntry:
    paths: list[str]
    series: str = ""
    """The chosen series' ``SeriesCandidate.key`` as its digest (:meth:`chose`); empty when the
    paths held one series."""
    uneven: str = ""
    """Its ``SeriesCandidate.uneven_slices`` ("resampled", "split" or "")."""
    description: str = field(default="", compare=False)
    pacs: str = field(default="", compare=False)
    """A series retrieved from a PACS: what *Open from PACS...* shows of it (:func:`pacs_series_label`)."""

    def chose(self, key: str) -> bool:
        """Whether the series of scan key ``key`` is the one chosen (a list written before
        session 45 keeps its plain digest, before session 44 the key itself: reopened, the entry
        is written again under the keyed digest)."""
        return bool(self.series) and self.series in (*digests(key), key)

    def label(self, depth: int = 1, home: Optional[str] = None) -> str:
        """The menu's text: the first path's name, how many more, the series chosen, then its
        folder's last ``depth`` names (``brain.nii.gz — …/s1``, ``~/…`` under the home folder);
        a series from a PACS as the PACS lists it (``MR 3 FLAIR, 2026-12-07 14:30 — PACS``)."""
        if self.pacs:
            return f"{self.pacs} — PACS"
        first = full_path(self.paths[0])
        text = os.path.basename(first) or first
        text += f" (+{len(self.paths) - 1})" if len(self.paths) > 1 else ""
        text += f": {self.description}" if self.series and self.description else ""
        return f"{text} — {_folder_words(os.path.dirname(first), depth, home)}"

    def tooltip(self) -> str:
        """The whole paths, one a line (the menu entry's tooltip)."""
        return "\n".join(full_path(p) for p in self.paths)

    def to_json(self):
        if not (self.series or self.pacs):
            return list(self.paths)   # as earlier versions wrote every entry
        paths = list(self.paths)
        if self.pacs and in_pacs_cache(paths):   # its folder is named by the series' UID
            paths = [PACS_KEPT + series_digest(os.path.basename(os.path.realpath(paths[0].rstrip(os.sep))))]
        return {"paths": paths, "series": self.series, "uneven": self.uneven,
                "description": self.description, "pacs": self.pacs}


def _pacs_cache() -> str:
    return os.path.realpath(user_data_dir() / "pacs-cache")


def in_pacs_cache(paths) -> bool:
    """Whether ``paths`` are one series folder of the PACS cache (``io.pacs.cache``'s folder)."""
    if len(paths) != 1:
        return False
    return os.path.dirname(os.path.realpath(os.fspath(paths[0]).rstrip(os.sep))) == _pacs_cache()


def cached_folder(kept: str) -> str:
    """The PACS cache's folder that ``kept`` (``pacs-cache:DIGEST``) names; where it would lie
    (``pacs-cache/DIGEST``, so opening it says it is not found) when the cache no longer holds it."""
    cache, digest = _pacs_cache(), kept[len(PACS_KEPT):]
    with contextlib.suppress(OSError):
        for name in os.listdir(cache):
            if series_digest(name) == digest:
                return os.path.join(cache, name)
    return os.path.join(cache, digest)


def pacs_series_label(volume) -> str:
    """A series as *Open from PACS...* lists it: modality, number, description and date
    (``MR 3 FLAIR, 2026-12-07 14:30``); never the patient's name, which the recent-files list
    keeps out of the data folder."""
    meta = volume.source_metadata or {}
    words = [volume.modality, str(meta.get("SeriesNumber", "")), str(meta.get("SeriesDescription", ""))]
    named = " ".join(" ".join(str(w).split()) for w in words if str(w).strip())
    day = str(meta.get("SeriesDate") or meta.get("StudyDate") or "").strip()
    clock = str((meta.get("SeriesTime") if meta.get("SeriesDate") else meta.get("StudyTime")) or "")
    clock = clock.strip().split(".")[0]
    if len(day) == 8 and day.isdigit():
        day = f"{day[:4]}-{day[4:6]}-{day[6:]}"
        day += f" {clock[:2]}:{clock[2:4]}" if len(clock) >= 4 and clock.isdigit() else ""
    return ", ".join(part for part in (named, day) if part) or "a series"


def _folder_words(folder: str, depth: int, home: Optional[str]) -> str:
    """``folder``'s last ``depth`` names after ``…/`` (``~`` for the home folder, ``/`` the root)."""
    home = os.path.abspath(os.path.expanduser("~") if home is None else home)
    top = ""
    if home != os.sep and (folder == home or folder.startswith(home + os.sep)):
        top, folder = "~", folder[len(home):]
    names = [n for n in folder.split(os.sep) if n]
    if depth >= len(names):
        return os.sep.join([top or "", *names]) if names else (top or os.sep)
    return os.sep.join(["…", *names[-depth:]])


def recent_labels(entries, home: Optional[str] = None) -> list[str]:
    """The menu's texts of ``entries``: each by its name and folder's name, more of the folder
    where two would read the same (as VS Code and Slicer tell apart two files of one name)."""
    depths = [1] * len(entries)
    while True:
        labels = [e.label(d, home) for e, d in zip(entries, depths)]
        same = [i for i, text in enumerate(labels) if labels.count(text) > 1]
        longer = [i for i in same if entries[i].label(depths[i] + 1, home) != labels[i]]
        if not longer:
            return labels
        for i in longer:
            depths[i] += 1


def _entry(data) -> RecentEntry | None:
    if isinstance(data, list) and data:
        return RecentEntry([str(p) for p in data])
    if isinstance(data, dict) and isinstance(data.get("paths"), list) and data["paths"]:
        paths = [str(p) for p in data["paths"]]
        if data.get("pacs") and len(paths) == 1 and paths[0].startswith(PACS_KEPT):
            paths = [cached_folder(paths[0])]
        return RecentEntry(paths, str(data.get("series") or ""),
                           str(data.get("uneven") or ""), str(data.get("description") or ""),
                           str(data.get("pacs") or ""))
    return None


RECENT_INSTEAD = "File > Recent starts with an empty list"


class RecentFiles:
    def __init__(self, path: str | os.PathLike | None = None, limit: int = MAX_RECENT) -> None:
        self.path = Path(path) if path else user_data_dir() / "recent.json"
        self.limit = limit

    def entries(self) -> list[RecentEntry]:
        """Most recent first."""
        data = read_setting(self.path, RECENT_INSTEAD, lambda d: isinstance(d, list), "a JSON list")
        if data is None:
            return []
        entries = [_entry(item) for item in data]
        return [e for e in entries if e is not None][: self.limit]

    def add(self, paths, series: str = "", uneven: str = "", description: str = "",
            pacs: str = "") -> None:
        """Put ``paths`` first (with the series chosen from them, if any: its scan key, kept as
        its digest; ``pacs``: a series from a PACS as the menu names it); an earlier entry of the
        same paths goes, whichever series it held: Recent reopens what was open last."""
        entry = RecentEntry([os.path.abspath(os.fspath(p)) for p in paths], series_digest(series),
                            uneven, description, pacs)

        def change(data: list) -> list:   # the list as another window may have left it
            items = [item for item in (_entry(d) for d in data)
                     if item is not None and item.paths != entry.paths]
            return [e.to_json() for e in [entry, *items][: self.limit]]

        with contextlib.suppress(OSError, NeuroviewError):   # a read-only home must not stop it
            update_setting(self.path, change, RECENT_INSTEAD, "a JSON list", list)

    def clear(self) -> None:
        write_setting(self.path, "[]")
