"""A command the window started (``neuroview train``, ``models compare``) stops once the window is
gone: the window passes its process id in ``NEUROVIEW_PARENT_PID``, and a thread here sends this
process SIGTERM (what *Cancel training* sends) when its parent is no longer that process.

A window that was killed left its training running unseen: until the next line it printed to the
window's closed pipe, an epoch or the whole final evaluation and package, writing the checkpoint
that the next window's *Resume* was reading and training at the same time.
"""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_ENV = "NEUROVIEW_PARENT_PID"


def watch_parent(interval_s: float = 0.5) -> bool:
    """Start watching when the window asked for it; True then. The variable is taken out of the
    environment first, so processes this one starts (sample workers) do not watch the window."""
    value = os.environ.pop(PARENT_ENV, "")
    if not value.isdigit():
        return False
    parent = int(value)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval_s)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    return True
