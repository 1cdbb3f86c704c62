"""A compaction of the journal (``core.journal``) whose slow part, writing the base, runs on a
worker thread while edits go on."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

import numpy as np

if TYPE_CHECKING:
    from .journal import Journal


@dataclass
class Checkpoint:
    """A compaction whose base a worker thread writes (:meth:`write`) from a snapshot of the
    label map at ``version``; the session switches to it afterwards (:meth:`adopt`) only if
    nothing was appended meanwhile."""

    journal: Journal
    version: int
    generation: int
    """The journal's generation when the snapshot was taken."""
    labels: np.ndarray
    segments: list
    editing_seconds: Optional[float]
    base: Optional[Path] = None
    """The pending base once :meth:`write` succeeded."""
    saved: bool = False
    """The snapshot is the label map as last saved."""
    keep: Callable[[int], None] = lambda generation: None
    """Writes the files kept beside the base of a generation (the caller's, of the snapshot),
    after the switch."""
    error: Optional[OSError] = None
    """Why :meth:`write` failed (a full disk, a read-only folder)."""

    def write(self) -> bool:
        try:
            self.base = self.journal.write_base(self.labels, self.segments)
        except OSError as exc:
            self.error = exc
            return False  # the journal is complete; compaction is tried again later
        return True

    def adopt(self) -> bool:
        """Switch to the written base, on the thread that appends (the caller checked that the
        label map is still at :attr:`version`); else delete it. Returns whether it switched."""
        if (self.base is not None and self.journal.generation == self.generation
                and self.base.exists()):
            self.journal.switch(self.generation + 1, self.editing_seconds, self.base, self.saved)
            return True
        self.discard()
        return False

    def discard(self) -> None:
        if self.base is not None:
            with contextlib.suppress(OSError):
                self.base.unlink()
