"""Who has which worklist case open: the claims in the state file's ``open_by``, and which of them
are honoured.

A claim names the case, the machine and process of the window that holds it, and when that window
last wrote the worklist. *Next case* passes over a case another annotator's claim holds, unless the
claim is stale: its process is gone (on this machine, where that can be checked), or it was not
renewed for :data:`CLAIM_HOURS` (a window on another machine that was killed, or left open
overnight). Closing the window gives its claim up at once (``Worklist.leave``). A claim without a
time (written by neuroview before these rules) is not honoured: nothing tells whether it is alive.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone
from typing import Optional

from .provenance import now_iso

CLAIM_HOURS = 12.0
"""A claim not renewed for this long (a working day) is not honoured."""


def new_claim(case_id: str) -> dict:
    """This process's claim on ``case_id``, renewed now."""
    return {"case": case_id, "host": socket.gethostname(), "pid": os.getpid(), "seen": now_iso()}


def _process_alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True     # another user's process, or not a pid of this machine's kind: keep it
    except (TypeError, ValueError):
        return False
    return True


def claimed_case(claim, now: Optional[datetime] = None) -> Optional[str]:
    """The case ``claim`` (an ``open_by`` value) holds, or ``None`` when it is not honoured."""
    if not isinstance(claim, dict) or not isinstance(claim.get("case"), str):
        return None
    try:
        seen = datetime.fromisoformat(str(claim.get("seen", "")).replace("Z", "+00:00"))
    except ValueError:
        return None
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=timezone.utc)
    if (now or datetime.now(timezone.utc)) - seen > timedelta(hours=CLAIM_HOURS):
        return None
    if claim.get("host") == socket.gethostname() and not _process_alive(claim.get("pid")):
        return None
    return claim["case"]
