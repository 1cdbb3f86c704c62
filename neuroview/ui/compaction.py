"""Compacting a session's workspace journal off the GUI thread.

Compaction writes the whole label map as a compressed base and fsyncs it (0.1-1 s for a 256^3
map on the shared 2-core machine): after *Save labels*, *Save labels as DICOM SEG*, *Save to
PACS* and *Send to training set* (all of them a save) it ran on the GUI thread. Here
the snapshot is taken on the GUI thread, the base is written by the window's worker pool, and
the switch to it (one small atomic rename) happens back on the GUI thread, only if the labels
did not change meanwhile (``Session.begin_checkpoint`` / ``end_checkpoint``). Until the switch
the journal holds every edit, so a crash at any point restores the same labels.
"""

from __future__ import annotations


def compact_in_background(window, session) -> None:
    """Compact ``session``'s workspace with ``window.runner``; nothing when there is nothing to
    compact. A failure (a full disk) leaves the journal as it was: the next save compacts."""
    checkpoint = session.begin_checkpoint()
    if checkpoint is None:
        return

    def done(written: bool) -> None:
        if not written or window.editor.session is not session:  # closed meanwhile
            checkpoint.discard()
            return
        try:
            session.end_checkpoint(checkpoint)
        except OSError:
            checkpoint.discard()

    window.runner.start(lambda progress, cancel: checkpoint.write(), on_done=done,
                        on_error=lambda text: checkpoint.discard(),
                        label="Compacting the workspace")


def mark_saved_and_compact(window, case, version: int) -> bool:
    """The labels of ``case`` as they were at ``version`` were saved (a file, a SEG on a PACS, a
    training case): unless they changed since, they count as saved and, while the case is still
    the window's, its workspace is compacted in the background. Returns whether they count."""
    if not case.mark_saved(version, compact=False):
        return False
    if window.editor.case is case:
        compact_in_background(window, case.session)
    return True
