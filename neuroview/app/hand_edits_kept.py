"""The edits by hand (``edit_clock.hand_edit_count``) behind the workspace's base, kept beside it.

A compaction (after every save) starts the journal afresh, and a restore after a crash starts the
undo history at the base: the training set's ``hand_edits`` counted only the steps in that
history, so a case corrected, saved, and killed (or closed by a crash) before its send went to
the training set with ``hand_edits: 0`` beside ``hand_edited: true`` and its changed voxels
(session 43's walk). The count is written after each compaction, as the readers' Applies are
(``adjudicated_step.keep_marks``), and read back with the base on a restore.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.jsonfile import read_json

FILE = "hand-edits.json"


def keep_hand_edits(workspace, generation: int, count: int) -> None:
    """After a compaction to ``generation``: ``count`` edits by hand are behind its base. A failed
    write loses only the count after a restore."""
    path = Path(workspace) / FILE
    try:
        if count <= 0:
            path.unlink(missing_ok=True)
        else:
            write_text_atomic(path, json.dumps({"generation": int(generation), "hand_edits": int(count)}))
    except OSError:
        pass


def recall_hand_edits(workspace, generation: int) -> int:
    """The edits by hand behind the base of ``generation`` (0: none kept, or another base's)."""
    try:
        kept = read_json(Path(workspace) / FILE)
        count = int(kept["hand_edits"]) if kept["generation"] == generation else 0
    except (OSError, ValueError, KeyError, TypeError, OverflowError):   # 1e999 edits
        return 0
    return max(count, 0)
