"""The annotators' work behind segments removed from the label map: it stays on the case's record.

A segment loaded from a colleague's labels file carries their editing sessions
(``core.segment_work``); until session 48 removing it (*Remove segment*: ben deleting anna's
wrong lesion before drawing his own) took that time out of every later save and of the training
set's record, as if anna had never worked on the case. The work of a removal still in the undo
history is read from its step (Ctrl+Z of the removal puts the segment, and its work, back), that
of removals the bounded history forgot is kept in memory, and that of removals behind the
workspace's base is written beside it after each compaction (as ``app.hand_edits_kept`` keeps
the edits by hand), so a restore after a kill gives it back. A session counts once
(``merge_work``), however many of its segments were removed.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.jsonfile import read_json
from ..core.segment_work import checked_work, merge_work

FILE = "removed-work.json"
REMOVE_STEP = "segments.remove"


def removed_by(steps) -> list[dict]:
    """The work entries of the segments that the *Remove segment* steps among ``steps`` removed
    (each step's table before it: a ``SegmentTable.delta`` or a whole ``to_list()``)."""
    found = []
    for step in steps:
        if step.name != REMOVE_STEP or step.segments_before is None:
            continue
        before = step.segments_before
        rows = before["delta"].values() if isinstance(before, dict) else before
        found.extend(checked_work(row.get("work")) for row in rows if isinstance(row, dict))
    return merge_work(*found)


def keep_removed_work(workspace, generation: int, entries) -> None:
    """After a compaction to ``generation``: the work of the segments removed before its base. A
    failed write loses only that work after a restore."""
    path = Path(workspace) / FILE
    try:
        if not entries:
            path.unlink(missing_ok=True)
        else:
            write_text_atomic(path, json.dumps({"generation": int(generation), "work": list(entries)}))
    except OSError:
        pass


def recall_removed_work(workspace, generation: int) -> list[dict]:
    """The work of the segments removed behind the base of ``generation`` (none kept, another
    base's or an unreadable file: none)."""
    try:
        kept = read_json(Path(workspace) / FILE)
        if not isinstance(kept, dict) or kept.get("generation") != generation:
            return []
    except (OSError, ValueError):
        return []
    return list(checked_work(kept.get("work")))
