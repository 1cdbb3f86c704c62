"""A forked copy of the process never writes its parent's crash journal (``core.journal_fork``).

The copy shares the journal file's offset with the parent: a step it journaled landed in the
parent's journal, between the parent's records, and a restore after a crash replayed it as the
parent's edit. neuroview's own forks (``io.dicom``'s process pools) happen only in a process with
one thread, so never beside a journal holding a record (its fsync thread runs); a script may fork.
"""

import multiprocessing
import os

import numpy as np
import pytest

from neuroview import Session
from neuroview.core.journal import WorkspaceError


def _stroke(s, offset_mm: float) -> None:
    at = np.asarray(s.volume.center_ras) + [offset_mm, 0.0, 0.0]
    s.apply("paint", at_ras=at, radius_mm=6.0, mode="3d", segment=1, path=[at + [0.0, 4.0, 0.0]])


def test_a_forked_copy_never_writes_the_parents_journal(small_image, tmp_path):
    ws = tmp_path / "ws"
    s = Session.open(small_image, workspace=ws)
    s.segments.add("a")
    _stroke(s, -25.0)                       # the journal file open, its fsync thread running
    size = s.journal.journal_path.stat().st_size
    said = tmp_path / "child.txt"

    def child():                            # a worker of the fork start method, say
        try:
            _stroke(s, 25.0)
            said.write_text("journaled")
        except WorkspaceError as exc:
            said.write_text(str(exc))
        with pytest.raises(WorkspaceError):  # its fsync thread was not copied: no wait for ever
            s.journal.wait_synced()
        s.close()

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(60)
    assert process.exitcode == 0
    assert said.read_text() == (f"{s.journal.named()}: this process (pid {process.pid}) is a forked "
                                "copy of the one that edits this image: it does not write its crash journal")
    assert s.journal.journal_path.stat().st_size == size      # not a byte more
    _stroke(s, 0.0)                         # the parent goes on journaling
    expected = s.labels.array.copy()
    again = Session.open(small_image, workspace=ws)            # a crash now: the parent's edits only
    np.testing.assert_array_equal(again.labels.array, expected)
    assert len(again.history.undo_steps) == 3
    again.close()
    s.close()
    assert os.path.exists(ws / "workspace.json")
