"""The local cache of retrieved series: one folder per series, bounded in size, LRU eviction.

A retrieval writes into a hidden ``.partial-*`` folder that becomes the series folder by one rename
once every image has arrived; if the transfer fails or is cancelled, the partial folder is removed,
so a server that goes away mid-transfer leaves nothing half-written (and leftovers of a crash are
swept when the cache is next opened). Each series folder carries a ``.last-used`` stamp; when the
cache grows beyond ``max_gb`` the least recently used series are deleted first. The bound is a
setting the user keeps (``pacs/settings.json``: *Settings > PACS cache...* in the window); a cache
made without ``max_gb`` uses it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator

from ...core.atomic import fsync_dir, make_parent, write_text_atomic
from ...core.settings_file import read_setting
from ...paths import user_data_dir
from .config import PacsError

UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
STAMP = ".last-used"
PARTIAL = ".partial-"
DEFAULT_GB = 20.0


def _settings_file() -> Path:
    return user_data_dir() / "pacs" / "settings.json"


def _settings() -> dict:
    return read_setting(_settings_file(), f"the PACS cache holds at most {DEFAULT_GB:g} GB",
                        lambda d: isinstance(d, dict), "a JSON object") or {}


def cache_limit_gb() -> float:
    """The cache bound the user set (GB), or 20 GB."""
    value = _settings().get("cache_gb", DEFAULT_GB)
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_GB


def set_cache_limit_gb(gb: float) -> None:
    if not gb > 0:
        raise PacsError(f"the cache size must be more than 0 GB (got {gb})")
    settings = _settings()
    settings["cache_gb"] = float(gb)
    write_text_atomic(_settings_file(), json.dumps(settings, indent=1))


def check_uid(uid: str, what: str = "UID") -> str:
    uid = str(uid).strip()
    if len(uid) > 64 or not UID.match(uid):
        # not quoted: a server's answer (or a damaged header) may hold a name there
        raise PacsError(f"{what} is not a DICOM UID (digits and dots, at most 64; value not shown)")
    return uid


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _owner_alive(name: str) -> bool:
    """Whether the process that made the partial folder ``.partial-PID-...`` still runs (then its
    transfer may be in progress, in another thread or program)."""
    pid = name[len(PARTIAL):].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def held_images(folder: Path) -> int:
    """The images a cached series folder holds (its ``UID.dcm`` files)."""
    return sum(1 for file in folder.iterdir() if file.suffix == ".dcm")


class SeriesCache:
    def __init__(self, root: str | os.PathLike | None = None, max_gb: float | None = None) -> None:
        self.root = Path(root) if root is not None else user_data_dir() / "pacs-cache"
        make_parent(self.root)
        self.max_bytes = int((cache_limit_gb() if max_gb is None else max_gb) * 1024**3)
        for leftover in self.root.glob(PARTIAL + "*"):
            if not _owner_alive(leftover.name):
                shutil.rmtree(leftover, ignore_errors=True)

    def path(self, series_uid: str) -> Path:
        return self.root / check_uid(series_uid, "SeriesInstanceUID")

    def lookup(self, series_uid: str) -> Path | None:
        """The cached folder of the series (marked as just used), or None."""
        folder = self.path(series_uid)
        if not (folder / STAMP).exists():
            return None
        self.touch(folder)
        return folder

    def size(self) -> int:
        """Bytes held by the cached series."""
        return sum(folder_size(folder) for folder in self.series())

    def series(self) -> list[Path]:
        return [p for p in self.root.iterdir() if p.is_dir() and (p / STAMP).exists()]

    @staticmethod
    def touch(folder: Path) -> None:
        stamp = folder / STAMP
        stamp.touch()
        now = time.time()
        os.utime(stamp, (now, now))

    @contextlib.contextmanager
    def incoming(self, series_uid: str) -> Iterator[Path]:
        """A fresh partial folder to fill; on success it becomes the series folder."""
        final = self.path(series_uid)
        partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-", dir=self.root))
        try:
            yield partial
            (partial / STAMP).touch()
            fsync_dir(partial)
            if final.exists():
                shutil.rmtree(final)
            os.replace(partial, final)
            fsync_dir(self.root)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        self.touch(final)
        self.evict(keep=final)

    def evict_for(self, needed: int) -> int:
        """Delete least recently used series until ``needed`` bytes are freed, or none is left
        (:mod:`.cache_room`: a series retrieved onto a nearly full disk takes older ones' room
        before it is refused); returns the bytes freed. The partial folder being filled is no
        series: it stays."""
        freed = 0
        for _, folder in sorted(((f / STAMP).stat().st_mtime, f) for f in self.series()):
            if freed >= needed:
                break
            size = folder_size(folder)
            shutil.rmtree(folder, ignore_errors=True)
            freed += size
        return freed

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Delete least recently used series until the cache fits ``max_gb``; returns those removed."""
        folders = sorted(((f / STAMP).stat().st_mtime, f) for f in self.series())
        sizes = {folder: folder_size(folder) for _, folder in folders}
        total = sum(sizes.values())
        removed = []
        for _, folder in folders:
            if total <= self.max_bytes:
                break
            if keep is not None and folder == keep:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            total -= sizes[folder]
            removed.append(folder)
        return removed
