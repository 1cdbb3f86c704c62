"""A compaction's switch made by a worker thread (the window's, ``ui.compaction``) and a step or a
save's note made meanwhile on the thread that edits: it waits for the switch (the journal's lock)
and then writes to the new generation, so a restore after a crash has everything. Without the
lock a step's record went to the old journal, which the switch then deleted, and a save's rewrite
of ``workspace.json`` named the old generation again, whose journal was gone."""

import json
import threading

import numpy as np
import pytest

from neuroview import Session
from neuroview.core import journal
from neuroview.core.journal import Journal


def _stroke(s, offset_mm: float) -> None:
    at = np.asarray(s.volume.center_ras) + [offset_mm, 0.0, 0.0]
    s.apply("paint", at_ras=at, radius_mm=6.0, mode="3d", segment=1, path=[at + [0.0, 4.0, 0.0]])


@pytest.mark.parametrize("meanwhile", ["stroke", "saved"])
def test_what_the_user_does_during_a_workers_switch_is_kept(small_image, tmp_path, monkeypatch, meanwhile):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws)
    s.segments.add("a")
    _stroke(s, -25.0)
    checkpoint = s.begin_checkpoint()
    assert checkpoint.write()
    inside, go_on = threading.Event(), threading.Event()
    write_meta = Journal._write_meta

    def held_switch(self, generation=None, editing_seconds=None):
        if generation is not None:          # the switch's atomic rename of workspace.json
            inside.set()
            go_on.wait(30)
        return write_meta(self, generation, editing_seconds)

    monkeypatch.setattr(Journal, "_write_meta", held_switch)
    named = []                              # each workspace.json written: its generation (a kill
    write_text = journal.write_text_atomic  # may come between any two)

    def recording(path, text, mode=None):
        if path.name == "workspace.json":
            named.append(json.loads(text)["generation"])
        return write_text(path, text, mode)

    monkeypatch.setattr(journal, "write_text_atomic", recording)
    adopted = []
    worker = threading.Thread(target=lambda: adopted.append(s.end_checkpoint(checkpoint)))
    worker.start()
    assert inside.wait(30)
    if meanwhile == "stroke":
        user = threading.Thread(target=_stroke, args=(s, 25.0))
    else:                                   # a save of the labels elsewhere (a SEG) is noted
        user = threading.Thread(target=s.mark_saved, args=(s.version,), kwargs={"compact": False})
    user.start()
    user.join(0.3)
    assert user.is_alive()                  # it waits for the switch
    go_on.set()
    worker.join(30)
    user.join(30)
    assert adopted == [True] and s.journal.generation == 1
    assert named[0] == 1 and set(named) == {1}, named   # never the old generation again
    assert s.journal.record_count == (1 if meanwhile == "stroke" else 0)   # in the new journal
    expected = s.labels.array.copy()
    again = Session.open(small_image, workspace=ws)           # a crash now
    np.testing.assert_array_equal(again.labels.array, expected)
    again.close()
    s.close()
