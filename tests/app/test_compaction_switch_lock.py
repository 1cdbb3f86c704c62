"""A compaction's switch made by a worker thread (the window's, ``ui.compaction``) and a step
journaled meanwhile: the step waits for the switch (the journal's lock) and lands in the new
journal, so a restore after a crash has it. Without the lock its record went to the old journal,
which the switch then deleted."""

import threading

import numpy as np

from neuroview import Session
from neuroview.core.journal import Journal


def _stroke(s, offset_mm: float) -> None:
    at = np.asarray(s.volume.center_ras) + [offset_mm, 0.0, 0.0]
    s.apply("paint", at_ras=at, radius_mm=6.0, mode="3d", segment=1, path=[at + [0.0, 4.0, 0.0]])


def test_a_step_during_a_workers_switch_is_kept(small_image, tmp_path, monkeypatch):
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
    adopted = []
    worker = threading.Thread(target=lambda: adopted.append(s.end_checkpoint(checkpoint)))
    worker.start()
    assert inside.wait(30)
    editor = threading.Thread(target=_stroke, args=(s, 25.0))   # the user paints meanwhile
    editor.start()
    editor.join(0.3)
    assert editor.is_alive()                # its record waits for the switch
    go_on.set()
    worker.join(30)
    editor.join(30)
    assert adopted == [True] and s.journal.generation == 1
    assert s.journal.record_count == 1      # the stroke's record, in the new journal
    expected = s.labels.array.copy()
    again = Session.open(small_image, workspace=ws)           # a crash now
    np.testing.assert_array_equal(again.labels.array, expected)
    again.close()
    s.close()
