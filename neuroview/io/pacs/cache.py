"""The local cache of retrieved series: one folder per series, bounded in size, LRU eviction.

A retrieval writes into a hidden ``.partial-*`` folder that becomes the series folder by one rename
once every image has arrived, each image written whole under a temporary name and renamed, so no
series is ever half-written. A transfer cancelled or cut short (the server went away) leaves its
images in a hidden ``.kept-UID`` folder, which the next retrieval of that series starts from: it
checks them against the server's list and fetches only the others (until session 48 the series
came again whole). A failure that says it kept nothing (:class:`KeptNothing`: another patient's
images, no room, an instance past the bound) keeps nothing, of this try or earlier ones. The
partial folders of a program that was killed are kept the same way when the cache is next opened;
a ``.kept-`` folder not retried for a week is deleted. Each series folder carries a ``.last-used``
stamp; when the cache grows beyond ``max_gb`` (the kept images count too) the kept images are
deleted first, oldest first, then the least recently used series.
The bound is a setting the user keeps (``pacs/settings.json``: *Settings > PACS cache...* in the
window); a cache made without ``max_gb`` uses it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator

from ...core.atomic import fsync_dir, make_parent, write_text_atomic
from ...core.plural import plural
from ...core.settings_file import read_setting
from ...paths import user_data_dir
from ..pacs_cached import STAMP, UID
from .config import PacsError

PARTIAL = ".partial-"
KEPT = ".kept-"
KEPT_DAYS = 7
DEFAULT_GB = 20.0


class KeptNothing(PacsError):
    """A retrieval refused for what the server sent (another patient's images, an instance too
    big) or for want of room: none of its images is kept for a retry, as its line says."""


def kept_for_retry(received: int) -> str:
    """What a retrieval cut short keeps, in words."""
    if not received:
        return "nothing was kept"
    return (f"the {plural(received, 'image')} received {'is' if received == 1 else 'are'} kept for "
            "a retry, which fetches only the rest")


def write_whole(file: Path, write) -> None:
    """``write(path)`` to a temporary name beside ``file``, then renamed to it: a program killed
    mid-file leaves no ``UID.dcm`` short of its end (a retry would take it for an image)."""
    part = file.with_name(file.name + ".part")
    try:
        write(part)
        os.replace(part, file)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


def _settings_file() -> Path:
    return user_data_dir() / "pacs" / "settings.json"


def _settings() -> dict:
    return read_setting(_settings_file(), f"the PACS cache holds at most {DEFAULT_GB:g} GB",
                        lambda d: isinstance(d, dict), "a JSON object") or {}


def cache_limit_gb() -> float:
    """The cache bound the user set (GB), or 20 GB."""
    value = _settings().get("cache_gb", DEFAULT_GB)
    usable = isinstance(value, (int, float)) and math.isfinite(value) and value > 0
    return float(value) if usable else DEFAULT_GB   # 1e999 (infinity): the cache was never trimmed


def set_cache_limit_gb(gb: float) -> None:
    if not (gb > 0 and math.isfinite(gb)):
        raise PacsError(f"the cache size must be a number of GB above 0 (got {gb})")
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
    """Whether the process that made the partial folder ``.partial-PID-UID-...`` still runs (then
    its transfer may be in progress, in another thread or program)."""
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
            if not _owner_alive(leftover.name):   # killed mid-transfer: its images kept for a retry
                parts = leftover.name[len(PARTIAL):].split("-")
                if len(parts) == 3 and UID.match(parts[1]) and len(parts[1]) <= 64:
                    self._keep(leftover, parts[1])
                shutil.rmtree(leftover, ignore_errors=True)
        week_ago = time.time() - KEPT_DAYS * 86400
        for kept in self.root.glob(KEPT + "*"):
            with contextlib.suppress(OSError):
                if kept.stat().st_mtime < week_ago:
                    shutil.rmtree(kept, ignore_errors=True)

    def path(self, series_uid: str) -> Path:
        return self.root / check_uid(series_uid, "SeriesInstanceUID")

    def lookup(self, series_uid: str) -> Path | None:
        """The cached folder of the series (marked as just used), or None."""
        folder = self.path(series_uid)
        if not (folder / STAMP).exists():
            return None
        self.touch(folder)
        return folder

    def holds(self, series_uid: str, images: int = 0) -> bool:
        """The series is cached with ``images`` images (0: any number), so that :func:`retrieve`
        given that count opens it without asking the server (*Open from PACS...* marks it). Not
        marked as used; a UID that cannot be a folder's name is not held."""
        try:
            folder = self.path(series_uid)
        except PacsError:
            return False
        return (folder / STAMP).exists() and (not images or held_images(folder) == images)

    def size(self) -> int:
        """Bytes held by the cached series and the images kept for a retry (both count toward
        ``max_gb``)."""
        return sum(folder_size(folder) for folder in self.series() + self.kept_folders())

    def kept_folders(self) -> list[Path]:
        """The ``.kept-`` folders, oldest first."""
        return [f for _, f in sorted((f.stat().st_mtime, f) for f in self.root.glob(KEPT + "*")
                                     if f.is_dir())]

    def series(self) -> list[Path]:
        return [p for p in self.root.iterdir() if p.is_dir() and (p / STAMP).exists()]

    @staticmethod
    def touch(folder: Path) -> None:
        stamp = folder / STAMP
        stamp.touch()
        now = time.time()
        os.utime(stamp, (now, now))

    def kept(self, series_uid: str) -> int:
        """The images a retrieval of the series cut short kept for a retry."""
        folder = self.root / f"{KEPT}{check_uid(series_uid, 'SeriesInstanceUID')}"
        return held_images(folder) if folder.is_dir() else 0

    def _keep(self, partial: Path, series_uid: str) -> None:
        """The whole images of ``partial`` moved to the series' ``.kept-`` folder; ``partial``
        removed."""
        kept = self.root / f"{KEPT}{series_uid}"
        images = [file for file in partial.glob("*.dcm") if UID.match(file.stem)]
        if images:
            kept.mkdir(exist_ok=True)
            for file in images:
                os.replace(file, kept / file.name)
            os.utime(kept)
        shutil.rmtree(partial, ignore_errors=True)

    @contextlib.contextmanager
    def incoming(self, series_uid: str) -> Iterator[Path]:
        """A fresh partial folder to fill, holding the images an earlier retrieval of the series
        kept (:meth:`kept`; the retrieval checks them, :func:`.resume.verified`); on success it
        becomes the series folder. Cancelled or failed, its images are kept for the next
        retrieval, unless the failure is :class:`KeptNothing`."""
        final = self.path(series_uid)
        partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-{final.name}-", dir=self.root))
        kept = self.root / f"{KEPT}{final.name}"
        try:
            if kept.is_dir():
                for file in kept.iterdir():
                    os.replace(file, partial / file.name)
                with contextlib.suppress(OSError):   # another program's try kept more meanwhile
                    kept.rmdir()
            yield partial
            (partial / STAMP).touch()
            fsync_dir(partial)
            if final.exists():
                shutil.rmtree(final)
            os.replace(partial, final)
            fsync_dir(self.root)
        except KeptNothing:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        except BaseException:
            self._keep(partial, final.name)
            raise
        self.touch(final)
        self.evict(keep=final)

    def evict_for(self, needed: int) -> int:
        """Delete the images kept for a retry (``.kept-`` folders, oldest first), then least
        recently used series, until ``needed`` bytes are freed, or none is left (:mod:`.cache_room`:
        a series retrieved onto a nearly full disk takes older ones' room before it is refused);
        returns the bytes freed. Until session 48 the kept images stayed while complete series
        went. The partial folder being filled is no series: it stays."""
        freed = 0
        for folder in self._evictable():
            if freed >= needed:
                break
            size = folder_size(folder)
            shutil.rmtree(folder, ignore_errors=True)
            freed += size
        return freed

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Delete the images kept for a retry (oldest first), then least recently used series,
        until the cache fits ``max_gb``; ``keep`` (the series just retrieved) and its ``.kept-``
        folder stay. Returns those removed. Until session 49 the kept images were not counted:
        they grew past the bound while complete series went."""
        folders = self._evictable()
        sizes = {folder: folder_size(folder) for folder in folders}
        total = sum(sizes.values())
        spared = () if keep is None else (keep, self.root / f"{KEPT}{keep.name}")
        removed = []
        for folder in folders:
            if total <= self.max_bytes:
                break
            if folder in spared:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            total -= sizes[folder]
            removed.append(folder)
        return removed

    def _evictable(self) -> list[Path]:
        """The ``.kept-`` folders, oldest first, then the series, least recently used first."""
        series = sorted(((f / STAMP).stat().st_mtime, f) for f in self.series())
        return self.kept_folders() + [folder for _, folder in series]
