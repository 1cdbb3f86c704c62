"""Named points where a test can kill the process, to prove that writers survive a kill.

``NEUROVIEW_CRASH_AT=name`` (set by the kill-loop tests only) makes :func:`point` send SIGKILL to
the running process when it reaches the point called ``name``; otherwise it does nothing.
"""

from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    if os.environ.get("NEUROVIEW_CRASH_AT") == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
