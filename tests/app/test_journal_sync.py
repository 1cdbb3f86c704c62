"""The crash journal's fsync runs off the thread that edits (``core.journal_sync``): a step returns
once its record is written, a kill -9 at any moment still restores every step that returned (and
never a torn one), and a failed fsync is told at the next step in the journal's one line."""

from __future__ import annotations

import errno
import os
import signal
import threading
import time

import numpy as np
import pytest

from neuroview import Session
from neuroview.core import geometry
from neuroview.core.journal import WorkspaceError
from neuroview.core.volume import Volume
from tests.durability import fork_killed

SHAPE = (24, 24, 16)


def _volume() -> Volume:
    data = np.arange(np.prod(SHAPE), dtype=np.int16).reshape(SHAPE) % 97
    return Volume(data, geometry.affine_from_spacing((1.0, 1.0, 1.0), (0.0, 0.0, 0.0)))


def _stroke(session, n: int) -> None:
    """Stroke ``n``: a 2 mm brush dragged along a row of slice ``n % 14 + 1``."""
    k = float(n % 14 + 1)
    session.apply("paint", at_ras=(4.0, 4.0 + n % 16, k), path=[(18.0, 4.0 + n % 16, k)],
                  radius_mm=2.0, mode="2d", view="axial", segment=1 + n % 2)


def _journal_fsyncs(monkeypatch, slow=0.0, fail=False):
    """os.fsync as it is (after ``slow`` seconds; raising ENOSPC for the journal when ``fail``),
    the threads that fsync'ed a journal file listed."""
    real, threads = os.fsync, []

    def fsync(fd):
        if "journal-" in os.readlink(f"/proc/self/fd/{fd}"):
            threads.append(threading.current_thread())
            time.sleep(slow)
            if fail:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return threads


def test_the_thread_that_edits_never_waits_for_the_journal_fsync(tmp_path, monkeypatch):
    threads = _journal_fsyncs(monkeypatch, slow=0.2)   # a slow disk: 200 ms an fsync
    session = Session(_volume(), tmp_path / "ws")
    session.segments.add("one")
    session.segments.add("two")
    start = time.perf_counter()
    for n in range(3):
        _stroke(session, n)
    session.undo()
    took = time.perf_counter() - start
    journal = session.journal
    written = journal.record_count
    assert written == 6 and journal.synced_records < written   # the fsyncs are still running
    journal.wait_synced()
    assert journal.synced_records == written and threads
    assert threading.main_thread() not in threads
    assert took < 1.0, took   # 6 records: 1.2 s of fsyncs when the editing thread ran them
    session.close()
    restored = Session(_volume(), tmp_path / "ws")
    np.testing.assert_array_equal(restored.labels.array, session.labels.array)
    restored.close()


def test_a_failed_journal_fsync_is_told_at_the_next_step(tmp_path, monkeypatch):
    session = Session(_volume(), tmp_path / "ws")
    session.segments.add("one")
    session.segments.add("two")
    session.journal.wait_synced()
    _journal_fsyncs(monkeypatch, fail=True)   # the disk fills up
    _stroke(session, 0)
    with pytest.raises(OSError):
        session.journal.wait_synced()
    with pytest.raises(WorkspaceError) as told:
        _stroke(session, 1)
    assert str(told.value) == ("workspace ws: cannot write the workspace journal (No space left on "
                               "device); your edit is kept in memory, save the labels")
    assert session.labels.array[:, 5, 2].any()   # the edit of the step told is kept
    monkeypatch.undo()   # space again: the next step's record and the ones before are synced
    _stroke(session, 2)
    session.journal.wait_synced()
    assert session.journal.synced_records == session.journal.record_count
    session.close()


def _strokes_told(workspace, told_fd, kill_at: int, after_s: float) -> None:
    """The forked child: strokes on a slow disk (30 ms an fsync), a line after each returned
    (strokes made, records written, records synced); ``after_s`` seconds after stroke ``kill_at``
    returned it is SIGKILLed wherever it is (another stroke, a line)."""
    real = os.fsync
    os.fsync = lambda fd: (time.sleep(0.03), real(fd))[1]
    session = Session(_volume(), workspace)
    session.segments.add("one")
    session.segments.add("two")
    for n in range(400):
        _stroke(session, n)
        journal = session.journal
        os.write(told_fd, f"{n + 1} {journal.record_count} {journal.synced_records}\n".encode())
        if n + 1 == kill_at:
            threading.Timer(after_s, os.kill, (os.getpid(), signal.SIGKILL)).start()


@pytest.mark.parametrize(("kill_at", "after_s"), [(3, 0.0), (12, 0.004), (25, 0.011)])
def test_sigkill_while_the_fsync_lags_restores_every_step_returned(tmp_path, kill_at, after_s):
    read, write = os.pipe()
    code, err = fork_killed(_strokes_told, tmp_path / "ws", write, kill_at, after_s)
    os.close(write)
    with os.fdopen(read) as told:
        lines = [tuple(map(int, line.split())) for line in told.read().splitlines()]
    assert code == -signal.SIGKILL, err
    assert lines, err
    strokes, written, synced = lines[-1]
    assert synced < written or any(s < w for _, w, s in lines)   # killed with records not synced
    restored = Session(_volume(), tmp_path / "ws")
    records = sum(1 for _ in restored.journal.records())
    # every step that returned is restored, synced or not, and at most the one killed in it more
    assert records in (written, written + 1), (records, written, synced)
    reference = Session(_volume())
    reference.segments.add("one")
    reference.segments.add("two")
    for n in range(strokes + (records - written)):
        _stroke(reference, n)
    assert reference.labels.array.any()
    np.testing.assert_array_equal(restored.labels.array, reference.labels.array)
    restored.close()


def test_the_first_step_after_a_compaction_starts_no_thread_and_fsyncs_no_folder(tmp_path, monkeypatch):
    """Before session 51 the first step of each generation started an fsync thread and fsync'ed
    the workspace folder on the thread that edits (~3-8 ms against ~1 ms a step). Now the journal's
    one thread fsyncs the new file, then its folder, before the record counts as synced."""
    session = Session(_volume(), tmp_path / "ws")
    session.segments.add("one")
    session.segments.add("two")
    _stroke(session, 0)
    session.checkpoint()
    _stroke(session, 1)
    session.checkpoint()   # the second compaction: the thread of the first generations kept
    assert session.journal.generation == 2
    real_fsync, fsyncs = os.fsync, []

    def fsync(fd):
        # (the thread, a folder or the journal, records counted as synced when it was called)
        fsyncs.append((threading.current_thread(), os.path.isdir(f"/proc/self/fd/{fd}"),
                       session.journal.synced_records))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    started = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda self: (started.append(self.name),
                                                                 real_start(self))[1])
    _stroke(session, 2)
    on_this_thread = [f for f in fsyncs if f[0] is threading.current_thread()]
    assert started == [] and on_this_thread == []
    session.journal.wait_synced()
    assert [(folder, synced) for _, folder, synced in fsyncs] == [(False, 0), (True, 0)]
    assert session.journal.synced_records == 1
    _stroke(session, 3)   # the folder is fsync'ed once per file
    session.journal.wait_synced()
    assert [folder for _, folder, _ in fsyncs] == [False, True, False]
    expected = session.labels.array.copy()
    session.close()
    assert not any(t.name == "journal fsync" and t.is_alive() for t, _, _ in fsyncs)
    restored = Session(_volume(), tmp_path / "ws")
    assert restored.journal.generation == 2 and sum(1 for _ in restored.journal.records()) == 2
    np.testing.assert_array_equal(restored.labels.array, expected)
    restored.close()


def _compacted_then_killed(workspace, strokes_after: int) -> None:
    """The forked child: two strokes, a compaction, ``strokes_after`` strokes of the new
    generation, then SIGKILL at once (their fsyncs and the folder's may still be running)."""
    session = Session(_volume(), workspace)
    session.segments.add("one")
    session.segments.add("two")
    _stroke(session, 0)
    _stroke(session, 1)
    session.checkpoint()
    for n in range(2, 2 + strokes_after):
        _stroke(session, n)
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("strokes_after", [0, 1])
def test_sigkill_right_after_the_first_steps_of_a_new_generation_restores_them(tmp_path, strokes_after):
    code, err = fork_killed(_compacted_then_killed, tmp_path / "ws", strokes_after)
    assert code == -signal.SIGKILL, err
    restored = Session(_volume(), tmp_path / "ws")
    assert restored.journal.generation == 1 and restored.journal.cut is None
    reference = Session(_volume())
    reference.segments.add("one")
    reference.segments.add("two")
    for n in range(2 + strokes_after):
        _stroke(reference, n)
    np.testing.assert_array_equal(restored.labels.array, reference.labels.array)
    restored.close()
