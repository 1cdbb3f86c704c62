"""Free space for a series retrieved into the cache (:mod:`.cache`), checked as its images arrive,
by the window's *Open from PACS* and ``neuroview pacs get`` alike: the images still to come, at
the mean size of those received, must fit in the space free on the cache's disk. A retrieval onto
a nearly full disk ran until a write failed, and said ``[Errno 28] No space left on device`` with
an instance's file name (its UID) in a line about the server not sending the whole series."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from ...core.memory import format_bytes
from ...core.plural import plural
from .cache import KeptNothing


class NoRoomError(KeptNothing):
    """The series does not fit in the space free for the cache (said with its folder)."""


class RoomCheck:
    """One retrieval of ``total`` images (0: not known) into ``cache`` (a ``SeriesCache``)."""

    def __init__(self, cache, total: int) -> None:
        self.cache, self.root, self.total = cache, cache.root, total
        self.done = self.received = 0

    def arrived(self, file: Path) -> None:
        """``file``, one more image, is in the cache's incoming folder: a :class:`PacsError`
        naming the cache's folder and the space the series needs when the rest would not fit,
        once the least recently used series the cache holds have made what room they can."""
        self.received += file.stat().st_size
        self.done += 1
        to_come = self.received * max(self.total - self.done, 0) // self.done
        free = shutil.disk_usage(self.root).free
        if to_come > free and self.cache.evict_for(to_come - free):
            free = shutil.disk_usage(self.root).free
        if to_come > free:
            raise NoRoomError(f"no room for the series ({plural(self.total, 'image')}): it needs about "
                            f"{format_bytes(self.received + to_come)}, {format_bytes(free)} free "
                            "there; nothing was kept, free some space and retrieve it again",
                            path=self.root)

    def full(self, exc: OSError) -> NoRoomError | None:
        """The one line for a write that failed because the disk filled meanwhile, else None."""
        if exc.errno != errno.ENOSPC:
            return None
        return NoRoomError(f"the disk filled during the retrieval ({self.done} of "
                         f"{plural(self.total, 'image') if self.total else '? images'} received); "
                         "nothing was kept, free some space and retrieve it again", path=self.root)
