"""Adding segments to a long table: each add costs the same work and journal bytes (issue #16.11:
1,000 adds took 29 s, the next 1,000 88 s, as every step copied and journaled the whole table)."""

from __future__ import annotations

import numpy as np
import pytest

import neuroview.app.session_journal as session_journal
from neuroview import Session
from neuroview.core.errors import LabelMapError
from neuroview.core.labels import Segment, SegmentTable
from neuroview.core.volume import Volume


def _volume():
    return Volume(np.zeros((12, 10, 8), np.float32), np.eye(4))


def test_segment_steps_do_not_grow_with_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(session_journal, "SEGMENTS_MIRROR_SECONDS", 1e9)
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


class _CountedScans(dict):
    """A segment dict that counts the scans over it (iteration, values, items, keys)."""

    scans = 0

    def _scan(self, method, *args):
        _CountedScans.scans += 1
        return method(self, *args)

    def __iter__(self):
        return self._scan(dict.__iter__)

    def values(self):
        return self._scan(dict.values)

    def items(self):
        return self._scan(dict.items)

    def keys(self):
        return self._scan(dict.keys)


def test_adding_a_segment_does_not_scan_the_table():
    """Issue #16.11: the name check and the next free value were linear scans (the 2nd thousand
    adds cost 2.4x the 1st); an add now looks up indexes only."""
    s = Session(_volume())
    for i in range(300):
        s.segments.add(f"segment {i}")
    s.labels.segments.segments = _CountedScans(s.labels.segments.segments)
    _CountedScans.scans = 0
    for i in range(300, 320):
        s.segments.add(f"segment {i}")
    s.segments.rename(310, "renamed")
    assert _CountedScans.scans == 0
    assert s.segments["renamed"].value == 310 and len(s.segments) == 320


def test_names_stay_unique_and_values_are_given_out_again(tmp_path):
    s = Session(_volume(), workspace=tmp_path / "ws")
    for name in "abcd":
        s.segments.add(name)
    assert [(x.value, x.name) for x in s.segments] == [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    for taken in ("a", "d"):
        with pytest.raises(LabelMapError, match="already exists"):
            s.segments.add(taken)
    with pytest.raises(LabelMapError, match="already exists"):
        s.segments.rename("b", "c")
    s.segments.rename("b", "b2")
    assert s.segments.add("b").value == 5  # the old name is free once renamed
    assert s.segments["b2"].value == 2 and s.segments["b"].value == 5

    s.segments.remove(5)
    s.segments.remove(4)  # the highest values go: the next add takes the value after 3
    assert "d" not in s.segments and s.segments.add("d").value == 4
    s.segments.remove("a")  # a value below the highest stays free until a file or model uses it
    assert s.segments.add("a").value == 5
    s.undo()  # the add of "a" undone: value 5 and the name "a" are free again
    assert "a" not in s.segments and s.segments.add("again").value == 5
    s.undo()
    s.undo()  # the removal of "a" (value 1) undone
    assert s.segments["a"].value == 1 and s.segments.add("x").value == 5
    with pytest.raises(LabelMapError, match="already exists"):
        s.segments.add("a")

    table = s.labels.segments.to_list()
    s.journal.close()  # a crash: the journal replays to the same table, indexes included
    again = Session(_volume(), workspace=tmp_path / "ws")
    assert again.labels.segments.to_list() == table
    assert again.segments["b2"].value == 2 and again.segments.add("y").value == 6
    with pytest.raises(LabelMapError, match="already exists"):
        again.segments.add("x")
    again.close()


def test_a_table_from_a_file_with_a_shared_name_keeps_both():
    table = SegmentTable.from_list([Segment(3, "lesion", (1, 2, 3)).to_dict(),
                                    Segment(1, "lesion", (4, 5, 6)).to_dict()])
    assert table.by_name("lesion").value == 1 and table.next_value() == 4
    table.remove(1)
    assert table.has_name("lesion") and table.by_name("lesion").value == 3
    table.remove(3)
    assert not table.has_name("lesion") and table.next_value() == 1
