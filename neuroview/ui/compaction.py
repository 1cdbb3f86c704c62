"""Compacting a session's workspace journal off the GUI thread.

Compaction writes the whole label map as a compressed base and fsyncs it, then switches the
workspace to it (the old journal's fsync waited for, ``workspace.json`` and the files kept beside
the base written and fsync'ed). After *Save labels*, *Save labels as DICOM SEG*, *Save to PACS*
and *Send to training set* (all of them a save), and when a step takes the journal past its bound
(``Session.compact_soon``, set here), the snapshot is taken on the GUI thread (a copy of the label
map: a median 2.4-9.7 ms for 256^3 on the loaded 2-core test machine) and a worker of the
window's pool writes the base and makes the switch (``Session.begin_checkpoint`` /
``end_checkpoint``), only if the labels did not change meanwhile. The switch holds the journal's
lock, which each step takes to journal itself, so no record lands between its check and its
switch; until the switch the journal holds every edit, so a crash at any point restores the same
labels. Until session 49 a save's switch ran on the GUI thread (a median 86-115 ms), and the
compaction at the bound did all of it there (a median 410-720 ms): ``bench/compaction_block.py``,
README *Crash recovery*.

A compaction that fails (a full disk, a read-only folder) changes nothing: the journal keeps every
edit, and new edits are appended to it. The red bar says so in one line; the bound does not try
again until a compaction succeeds (each step would copy the label map for it), the next save does.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer

from ..core.journal import WorkspaceError
from ..core.workspace_names import os_reason


def failed_line(session, error: OSError) -> str:
    """The one line a failed compaction of ``session``'s workspace is told in."""
    return str(WorkspaceError(
        f"cannot compact the crash journal ({os_reason(error)}): every edit is still in it, and "
        "comes back after a crash; the next save tries again", path=session.journal.named()))


def compact_in_background(window, session, by_bound: bool = False) -> None:
    """Compact ``session``'s workspace with ``window.runner``; nothing when there is nothing to
    compact, or one is running. ``by_bound``: the journal passed its bound (after a failure, left
    to the next save)."""
    if session.compaction_running or (by_bound and session.compaction_error is not None):
        return
    checkpoint = session.begin_checkpoint()
    if checkpoint is None:
        return
    session.compaction_running = True

    def work(progress, cancel) -> str | bool:
        try:
            if not checkpoint.write():
                raise checkpoint.error
            return session.end_checkpoint(checkpoint)
        except OSError as exc:
            checkpoint.discard()
            return failed_line(session, exc)

    def done(result: str | bool) -> None:
        session.compaction_running = False
        if isinstance(result, str):
            session.compaction_error = result
            if window.editor.session is session:
                window.show_error(result)
        elif result:
            session.compaction_error = None
            if window.editor.session is session:   # not closed meanwhile
                session.forget_plans()

    def failed(text: str) -> None:   # (work looks at no cancel token: never cancelled)
        session.compaction_running = False
        checkpoint.discard()
        window.show_error(text)

    window.runner.start(work, on_done=done, on_error=failed, label="Compacting the workspace")


def compact_at_bound(window, session) -> None:
    """Let ``session`` compact in ``window``'s workers when its journal passes the bound: from the
    next turn of the event loop, so that the step that passed it returns (and is drawn) before the
    snapshot is taken and the worker starts beside the GUI thread."""
    session.compact_soon = lambda: QTimer.singleShot(
        0, window, lambda: compact_in_background(window, session, by_bound=True))


def mark_saved_and_compact(window, case, version: int) -> bool:
    """The labels of ``case`` as they were at ``version`` were saved (a file, a SEG on a PACS, a
    training case): unless they changed since, they count as saved and, while the case is still
    the window's, its workspace is compacted in the background. Returns whether they count."""
    if not case.mark_saved(version, compact=False):
        return False
    if window.editor.case is case:
        compact_in_background(window, case.session)
    return True
