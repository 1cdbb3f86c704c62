"""The restore offer when an image opens: whether its workspace holds edits to give back, and the
question the window asks about them.

:func:`restore_offer` reads the whole crash journal (every record, as a restore walks it, so the
counts it offers are the ones the restore gives back) and the label map stored at the last save:
on a long session's journal that takes a while (2000 strokes on the demo case: about 150 ms, 70
times reading the journal's bytes, ``bench/restore_offer.py``), so the window calls it off the GUI
thread (``ui.actions_open``). :func:`has_workspace` is the quick look the GUI thread makes first:
an image never edited has nothing to read.

:func:`take_offer` is *Restore*: the case opened with the journal replayed (2000 strokes on the
demo case: 0.7-2.1 s on a loaded machine, ``bench/restore_offer.py``), in a worker too, reporting
the records replayed out of those the offer counted, and stopping on a cancel with the workspace
as it was (the offer can be taken later).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..core.errors import Cancelled
from ..core.jobs import CancelToken, ProgressFn, report
from ..core.volume import Volume
from .case import Case
from .restore_counts import Restorable
from .session_journal import SessionJournal

SAVED_QUESTION = ("This image has labels from an earlier session that ended without closing it; "
                  "they were saved, with no edit since. Restore them?")

UNVERIFIED_NOTE = ("Caution: an older neuroview saved these edits with a key made from 4,096 of the "
                   "image's voxels, so this image could not be checked voxel for voxel against the "
                   "one they were made on (a copy with a few voxels changed passes); restore only "
                   "if it is that image.")


@dataclass(frozen=True)
class RestoreOffer:
    """What a restore of a workspace would give back, and whether that is only the labels as last
    saved (a crash after *Save labels*)."""

    restorable: Restorable
    saved_unchanged: bool
    unverified: bool = False
    """The workspace was written by a neuroview before session 33, which named the image by 4,096
    of its voxels: the question says the image could not be checked voxel for voxel."""

    def question(self) -> str:
        """The notice bar's question (Restore / Discard)."""
        asked = (SAVED_QUESTION.replace(" Restore", f" {self.restorable.cut_sentence()}Restore")
                 if self.saved_unchanged else self.restorable.question())
        return f"{asked} {UNVERIFIED_NOTE}" if self.unverified else asked


def has_workspace(workspace) -> bool:
    """True when ``workspace`` was made (one stat): only then can it hold something to restore."""
    return (Path(workspace) / "workspace.json").exists()


def restore_offer(volume: Volume, workspace,
                  cancel: Optional[CancelToken] = None) -> Optional[RestoreOffer]:
    """The offer for ``volume``'s ``workspace``; ``None`` when there is nothing to restore. Raises
    :class:`~neuroview.core.errors.NeuroviewError` for a workspace that cannot be read or belongs
    to another image, ``Cancelled`` when ``cancel`` is set (looked at between journal records;
    nothing is written, so the journal is offered the next time). Reads the whole journal: not on
    the GUI thread."""
    restorable = SessionJournal.recovery(volume, workspace, cancel)
    if not restorable.records or _gives_nothing(restorable, volume, workspace):
        return None
    saved = not restorable.lost and SessionJournal.saved_unchanged(volume, workspace)
    return RestoreOffer(restorable, saved, SessionJournal.unverified(volume, workspace))


def _gives_nothing(restorable, volume: Volume, workspace) -> bool:
    """A journal whose steps all were taken back and forgotten (a segment made for a stroke
    thrown away with Esc: its step, its undo and drop), with no label map stored by a save or
    compaction: a restore gives back nothing (it offered "no edit since the last save" until
    session 38)."""
    if restorable.edits or restorable.undone or restorable.lost or restorable.cut is not None:
        return False
    return not SessionJournal.compacted(volume, workspace)


def take_offer(volume: Volume, workspace, offer: Optional[RestoreOffer], source_paths=(),
               progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
               holder=None) -> Case:
    """*Restore*: ``volume``'s case with ``workspace``'s journal replayed (``Case.open``), the
    progress in journal records out of ``offer``'s count. Raises ``Cancelled`` (nothing written,
    the workspace's lock let go) or a :class:`~neuroview.core.errors.NeuroviewError`. Not on the
    GUI thread: it replays the whole journal. ``holder``: ``Case.open``'s."""
    total = offer.restorable.records if offer is not None else 0

    def replayed(done: int) -> None:
        shown = min(done, total) if total else done
        report(progress, shown, total, f"Restoring the earlier edits: {shown} of {total} journal "
               "records" if total else f"Restoring the earlier edits: {done} journal records")

    case = Case.open(volume, workspace, restore=True, source_paths=source_paths,
                     replayed=replayed, cancel=cancel, holder=holder)
    case.session.counts.counts()   # counted here: the segment panel asks as the window takes the
    # case, and a whole-map count was 60-140 ms of the GUI thread's 180 ms then (demo case)
    if cancel is not None and cancel.cancelled:   # after the last record (the window closing):
        case.close()                              # its lock let go here, not when a window
        raise Cancelled()                         # that may be gone hears of it
    return case
