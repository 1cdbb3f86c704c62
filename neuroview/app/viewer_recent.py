"""The recent-files list of the viewer, kept in the user's data folder as JSON (no Qt)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..paths import user_data_dir

MAX_RECENT = 10


class RecentFiles:
    def __init__(self, path: str | os.PathLike | None = None, limit: int = MAX_RECENT) -> None:
        self.path = Path(path) if path else user_data_dir() / "recent.json"
        self.limit = limit

    def items(self) -> list[list[str]]:
        """Most recent first; each item is the list of paths opened together."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        items = [entry for entry in data if isinstance(entry, list) and entry]
        return [[str(p) for p in entry] for entry in items][: self.limit]

    def add(self, paths) -> None:
        entry = [os.path.abspath(os.fspath(p)) for p in paths]
        items = [item for item in self.items() if item != entry]
        items.insert(0, entry)
        try:
            write_text_atomic(self.path, json.dumps(items[: self.limit], indent=1))
        except OSError:
            pass  # a read-only home must not stop the viewer

    def clear(self) -> None:
        write_text_atomic(self.path, "[]")
