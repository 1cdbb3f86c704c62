"""Who has which worklist case open: the claims in the state file's ``open_by``, and which of them
are honoured.

A claim names the case, the person, the machine and process of the window that holds it (its id and
start time, so that a later process given the same id does not keep a dead window's claim), and
when that window last wrote the worklist. Claims are keyed by window (:func:`claim_key`: login,
machine, process), not by login: two windows of one login (two annotators sharing a workstation's
login) shared one claim, each overwriting the other's, so neither was told of the other, and a
killed window took its live twin's claim with it.

*Next case* passes over a case another window's claim holds, unless the claim is stale: its
process is gone (on this machine, where that can be checked), or it was not renewed for
:data:`CLAIM_HOURS` (a window on another machine that was killed, or left open overnight).
Closing the window gives its claim up at once (``Worklist.leave``). A claim without a time
(written by neuroview before these rules) is not honoured: nothing tells whether it is alive.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone
from typing import Optional

import psutil

from .provenance import now_iso

CLAIM_HOURS = 12.0
"""A claim not renewed for this long (a working day) is not honoured."""


def claim_key(user: str) -> str:
    """The ``open_by`` key of this process's claim for ``user``: one per window (process)."""
    return f"{user}@{socket.gethostname()}:{os.getpid()}"


def new_claim(case_id: str, user: str, reader: str = "") -> dict:
    """This process's claim on ``case_id`` for ``user`` (``reader``: the name the annotator gave
    neuroview, ``app.reader_name``, "" for none), renewed now."""
    return {"case": case_id, "user": user, "host": socket.gethostname(), "pid": os.getpid(),
            "started": psutil.Process().create_time(), "seen": now_iso(),
            **({"reader": reader} if reader else {})}


def reader_words(claim: dict) -> str:
    """The claim's reader as people read names (``Smith^Ann``, DICOM's form: ``Ann Smith``), or
    "" when it names none."""
    from ..io.dicom.person_name import readable_name

    reader = claim.get("reader")
    if not isinstance(reader, str) or not reader.strip():
        return ""
    return readable_name(reader)


def holder_name(key: str, claim: dict, user: str) -> str:
    """Who holds ``claim``, for ``user``'s window, in a word: the reader's name (else the login);
    "another window of USER" for one of ``user``'s own login."""
    who = claim_user(key, claim)
    return f"another window of {who}" if who == user else (reader_words(claim) or who)


def claim_user(key: str, claim: dict) -> str:
    """Whose window holds ``claim`` (keyed ``key``): its ``user``; before claims were keyed by
    window, the key was the login name."""
    user = claim.get("user")
    return user if isinstance(user, str) else str(key)


def describe_holder(key: str, claim: dict, user: str) -> str:
    """The window holding ``claim`` in words, for ``user``'s window: another login's is named
    with its machine (and by its reader's name, when it gave one); one of ``user``'s own login
    is "another window of USER" (two windows, or two annotators sharing the login)."""
    who, host, reader = claim_user(key, claim), str(claim.get("host", "")), reader_words(claim)
    if who == user:
        return f"another window of {who}" + (f" (on {host}, process {claim.get('pid')})" if host else "")
    if reader:   # the name the team knows, the login and machine to tell two of one name apart
        return f"{reader} (a window of {who}" + (f" on {host})" if host else ")")
    return f"{who} (a window on {host})" if host else who


START_SLACK_S = 1.0
"""A process whose start time differs from the claim's by more is another process with the id."""


def started_us(claim: dict, user: str) -> bool:
    """Whether the window holding ``claim`` started this process (``user``'s, on this machine, its
    process this one's parent): a window's Rank dialog runs ``dataset rank`` so."""
    return (claim.get("user") == user and claim.get("host") == socket.gethostname()
            and claim.get("pid") == os.getppid())


def _process_alive(pid, started) -> bool:
    """Whether the claim's process still runs: its id exists and, where the claim has it (since
    session 15), started when the claim says (an id is reused once its process is gone)."""
    try:
        process = psutil.Process(int(pid))
        if started is None:
            return True
        return abs(process.create_time() - float(started)) <= START_SLACK_S
    except psutil.NoSuchProcess:
        return False
    except (psutil.AccessDenied, OverflowError):
        return True     # not ours to look at, or not a pid of this machine's kind: keep it
    except (TypeError, ValueError):
        return False


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
    here = claim.get("host") == socket.gethostname()
    if here and not _process_alive(claim.get("pid"), claim.get("started")):
        return None
    return claim["case"]
