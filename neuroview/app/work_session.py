"""This window's editing session on a case, as the labels' work entries name it
(``core.segment_work``): a random token kept in the case's workspace, so that a restore after a
crash goes on with the same session (its editing time restored with it, ``app.edit_clock``) and a
save of it loaded again counts once; a case opened afresh is a new session."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Optional

from ..core.atomic import write_text_atomic
from ..core.jsonfile import read_json
from ..core.segment_work import by_annotator, merge_work

FILE = "work-session.json"


def session_token(workspace: Optional[Path], restored: bool) -> str:
    """The token of the editing session in ``workspace``: the one kept there when its edits were
    ``restored`` (and it is readable), else a new one, kept there (before any edit of it: a kill
    earlier leaves no time to count). A failed write only starts a new session at a restore."""
    if workspace is not None and restored:
        try:
            token = read_json(Path(workspace) / FILE)["session"]
            if isinstance(token, str) and 0 < len(token) <= 64:
                return token
        except (OSError, ValueError, KeyError, TypeError):
            pass
    token = secrets.token_hex(8)
    if workspace is not None:
        try:
            write_text_atomic(Path(workspace) / FILE, json.dumps({"session": token}))
        except OSError:
            pass
    return token


def work_behind(segments, live: dict, removed=()) -> list[dict]:
    """The work entries behind a label map of ``segments`` (those its loaded files name) and the
    ``removed`` segments' (``Session.removed_work``), with this window's ``live`` entry: included
    when it spent time or kept edits, or nobody else did."""
    prior = merge_work(*(segment.work for segment in segments), removed)
    busy = live["editing_seconds"] > 0 or live["hand_edits"] > 0
    return merge_work(prior, [live] if busy or not prior else [])


def work_totals(entries: list[dict]) -> tuple[list[dict], float, int]:
    """Each annotator's work (``by_annotator``, without the count of sessions), the total editing
    time and the total edits by hand of ``entries``."""
    people = [{k: v for k, v in person.items() if k != "sessions"} for person in by_annotator(entries)]
    return (people, round(sum(p["editing_seconds"] for p in people), 1),
            sum(p["hand_edits"] for p in people))
