"""The recent-files list of the viewer, kept in the user's data folder as JSON (no Qt).

Each entry is the paths opened together and, when they held several series and the user chose
one, that series (its scan key, how its uneven slices were placed, its description): *File >
Recent* reopens it without the series chooser, as ITK-SNAP and Slicer reopen what was open.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..paths import user_data_dir

MAX_RECENT = 10


@dataclass(frozen=True)
class RecentEntry:
    paths: list[str]
    series: str = ""
    """The chosen series' ``SeriesCandidate.key``; empty when the paths held one series."""
    uneven: str = ""
    """Its ``SeriesCandidate.uneven_slices`` ("resampled", "split" or "")."""
    description: str = field(default="", compare=False)

    def label(self) -> str:
        """The menu's text: the first path, how many more, the series chosen."""
        text = self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} (+{len(self.paths) - 1})"
        return f"{text}: {self.description}" if self.series and self.description else text

    def to_json(self):
        if not self.series:
            return list(self.paths)   # as earlier versions wrote every entry
        return {"paths": list(self.paths), "series": self.series, "uneven": self.uneven,
                "description": self.description}


def _entry(data) -> RecentEntry | None:
    if isinstance(data, list) and data:
        return RecentEntry([str(p) for p in data])
    if isinstance(data, dict) and isinstance(data.get("paths"), list) and data["paths"]:
        return RecentEntry([str(p) for p in data["paths"]], str(data.get("series") or ""),
                           str(data.get("uneven") or ""), str(data.get("description") or ""))
    return None


class RecentFiles:
    def __init__(self, path: str | os.PathLike | None = None, limit: int = MAX_RECENT) -> None:
        self.path = Path(path) if path else user_data_dir() / "recent.json"
        self.limit = limit

    def entries(self) -> list[RecentEntry]:
        """Most recent first."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, list):
            return []
        entries = [_entry(item) for item in data]
        return [e for e in entries if e is not None][: self.limit]

    def add(self, paths, series: str = "", uneven: str = "", description: str = "") -> None:
        """Put ``paths`` first (with the series chosen from them, if any); an earlier entry of
        the same paths goes, whichever series it held: Recent reopens what was open last."""
        entry = RecentEntry([os.path.abspath(os.fspath(p)) for p in paths], series, uneven, description)
        items = [item for item in self.entries() if item.paths != entry.paths]
        items.insert(0, entry)
        try:
            write_text_atomic(self.path, json.dumps([e.to_json() for e in items[: self.limit]], indent=1))
        except OSError:
            pass  # a read-only home must not stop the viewer

    def clear(self) -> None:
        write_text_atomic(self.path, "[]")
