"""A forked copy of neuroview never writes its parent's crash journal (``core.journal``).

A fork (``os.fork``, ``multiprocessing``'s fork start method) copies each open journal's Python
object but not its fsync thread (``core.journal_sync``), and the copy's journal file shares its
open file description, and so its write offset, with the parent's: a step the copy journaled would
land in the parent's journal between the parent's records, and a restore after a crash would
replay it as the parent's edit; bytes of a record the parent was writing from another thread at
the fork, left in the copy's buffer, would be written there when the copy frees it. neuroview
itself forks only from a single-threaded process (``io.dicom.headers``,
``io.dicom.decode_processes``), so never beside a journal holding a record (its fsync thread
runs), but a script or a library may fork. So in the child of every fork each journal is marked
:attr:`~neuroview.core.journal.Journal.inherited`: its appends and file writes raise
``WorkspaceError`` and its close does nothing; its open file is pointed at ``/dev/null`` (the
descriptor's number kept, so that no file opened later in the child is written through it), and
its lock is made anew (another thread may have held it at the fork).
"""

from __future__ import annotations

import os
import threading
import weakref

_JOURNALS: "weakref.WeakSet" = weakref.WeakSet()


def track(journal) -> None:
    """``journal`` is marked inherited in the child of any later fork."""
    _JOURNALS.add(journal)


def _after_fork_in_child() -> None:
    for journal in list(_JOURNALS):
        journal.inherited = True
        journal.lock = threading.RLock()
        handle = journal._handle
        if handle is not None:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, handle.fileno(), inheritable=False)
            finally:
                os.close(null)


if hasattr(os, "register_at_fork"):   # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
