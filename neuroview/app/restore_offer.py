"""The restore offer when an image opens: whether its workspace holds edits to give back, and the
question the window asks about them.

:func:`restore_offer` reads the whole crash journal (every record, as a restore walks it, so the
counts it offers are the ones the restore gives back) and the label map stored at the last save:
on a long session's journal that takes a while (2000 strokes on the demo case: about 150 ms, 70
times reading the journal's bytes, ``bench/restore_offer.py``), so the window calls it off the GUI
thread (``ui.actions_open``). :func:`has_workspace` is the quick look the GUI thread makes first:
an image never edited has nothing to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..core.volume import Volume
from .restore_counts import Restorable
from .session_journal import SessionJournal

SAVED_QUESTION = ("This image has labels from an earlier session that ended without closing it; "
                  "they were saved, with no edit since. Restore them?")


@dataclass(frozen=True)
class RestoreOffer:
    """What a restore of a workspace would give back, and whether that is only the labels as last
    saved (a crash after *Save labels*)."""

    restorable: Restorable
    saved_unchanged: bool

    def question(self) -> str:
        """The notice bar's question (Restore / Discard)."""
        return SAVED_QUESTION if self.saved_unchanged else self.restorable.question()


def has_workspace(workspace) -> bool:
    """True when ``workspace`` was made (one stat): only then can it hold something to restore."""
    return (Path(workspace) / "workspace.json").exists()


def restore_offer(volume: Volume, workspace) -> Optional[RestoreOffer]:
    """The offer for ``volume``'s ``workspace``; ``None`` when there is nothing to restore. Raises
    :class:`~neuroview.core.errors.NeuroviewError` for a workspace that cannot be read or belongs
    to another image. Reads the whole journal: not on the GUI thread."""
    restorable = SessionJournal.recovery(volume, workspace)
    if not restorable.records:
        return None
    saved = not restorable.lost and SessionJournal.saved_unchanged(volume, workspace)
    return RestoreOffer(restorable, saved)
