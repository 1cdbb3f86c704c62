"""Adding segments to a long table: each add costs the same work and journal bytes (issue #16.11:
1,000 adds took 29 s, the next 1,000 88 s, as every step copied and journaled the whole table)."""

from __future__ import annotations

import numpy as np

import neuroview.app.session as session_module
from neuroview import Session
from neuroview.core.labels import Segment
from neuroview.core.volume import Volume


def _volume():
    return Volume(np.zeros((12, 10, 8), np.float32), np.eye(4))


def test_segment_steps_do_not_grow_with_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "SEGMENTS_MIRROR_SECONDS", 1e9, raising=False)
    calls = [0]  # (the mirror segments.json is written on close only above)
    to_dict = Segment.to_dict

    def counted(self):
        calls[0] += 1
        return to_dict(self)

    monkeypatch.setattr(Segment, "to_dict", counted)
    s = Session(_volume(), workspace=tmp_path / "ws")

    def cost(first, count):
        calls[0] = 0
        size = s.journal.journal_path.stat().st_size if s.journal.journal_path.exists() else 0
        for i in range(first, first + count):
            s.segments.add(f"segment {i:04d}")
        return calls[0], s.journal.journal_path.stat().st_size - size

    cost(0, 1)  # the first change writes the workspace's segments.json once
    early = cost(1, 50)
    cost(51, 249)
    late = cost(300, 50)
    assert late[0] == early[0]  # segment copies per add: the same with 300 segments as with 0
    assert abs(late[1] - early[1]) <= 0.02 * early[1]  # journal bytes per add: the same

    # The small steps undo, redo and restore exactly.
    s.labels.array[2:4, 2:4, 2:4] = 7
    s.segments.remove(7)
    assert 7 not in s.segments and not (s.labels.array == 7).any()
    s.undo()
    assert s.segments[7].name == "segment 0006" and (s.labels.array == 7).sum() == 8
    s.segments.rename(7, "renamed")
    s.undo()
    s.redo()
    table = s.labels.segments.to_list()
    assert len(table) == 350 and table[6]["name"] == "renamed"
    s.journal.close()  # a crash: the next open replays the journal
    again = Session(_volume(), workspace=tmp_path / "ws")
    assert again.labels.segments.to_list() == table
    again.close()
