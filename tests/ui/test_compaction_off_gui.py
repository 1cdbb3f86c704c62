"""The crash journal's compaction at its bound runs in a worker, as a save's does, switch and all;
one that fails (a full disk, a read-only workspace) is one line in the red bar and loses no edit."""

from __future__ import annotations

import errno
import os
import threading

import nibabel as nib
import numpy as np
import pytest
from editor_helpers import INSIDE_CASE_RAS, paint_a_lesion, save_and_wait, stroke

from neuroview.app.session import Session
from neuroview.core import journal, journal_generations

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _record_threads(monkeypatch) -> dict:
    """For each base written and each switch of ``workspace.json``, whether the GUI thread did it."""
    seen: dict = {"base": [], "switch": []}
    write_npz, write_meta = journal_generations.write_npz, journal.Journal._write_meta

    def base(*args, **kwargs):
        seen["base"].append(_on_gui_thread())
        return write_npz(*args, **kwargs)

    def meta(self, generation=None, editing_seconds=None):
        if generation is not None:
            seen["switch"].append(_on_gui_thread())
        return write_meta(self, generation, editing_seconds)

    monkeypatch.setattr(journal_generations, "write_npz", base)
    monkeypatch.setattr(journal.Journal, "_write_meta", meta)
    return seen


def _second_stroke(window) -> None:
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0], INSIDE_CASE_RAS + [8.0, 8.0, 0]])


def test_the_bound_compacts_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    """A step that took the journal past its bound compacted it whole on the GUI thread (a median
    201-326 ms for 256^3, ``bench/compaction_block.py``); now a worker writes the base and switches."""
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    seen = _record_threads(monkeypatch)
    session.journal_max_records = session.journal.record_count   # the next step passes it
    _second_stroke(window)
    qtbot.waitUntil(lambda: session.journal.generation == 1 and not window.runner.busy, timeout=30000)
    assert seen == {"base": [False], "switch": [False]}, seen
    assert not session.journal.has_records()
    painted = session.labels.array.copy()
    restored = Session(volume, session.journal.folder)    # what a restart after a crash reads
    np.testing.assert_array_equal(restored.labels.array, painted)
    restored.close()


def _fail(monkeypatch, fault: str) -> None:
    if fault == "full disk":   # the base half written, then no room
        write_npz = journal_generations.write_npz

        def full(file, arrays, cancel=None):
            file.write(b"\0" * 4096)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(journal_generations, "write_npz", full)
        assert write_npz is not full
    else:   # the base written, the switch refused
        write_meta = journal.Journal._write_meta

        def read_only(self, generation=None, editing_seconds=None):
            if generation is not None:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            return write_meta(self, generation, editing_seconds)

        monkeypatch.setattr(journal.Journal, "_write_meta", read_only)


@pytest.mark.parametrize("fault", ["full disk", "read-only"])
def test_a_failed_compaction_is_one_line_and_loses_no_edit(qtbot, window, tmp_path, monkeypatch, fault):
    """It was dropped without a word: the user never learnt that the workspace could not be
    written. Now the red bar says so; the save stands, the journal keeps every edit, new ones too."""
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    folder = session.journal.folder
    _fail(monkeypatch, fault)
    out = save_and_wait(window, tmp_path / "labels.nii.gz")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    reason = "No space left on device" if fault == "full disk" else "Read-only file system"
    assert window.message_bar.text == (
        f"{session.journal.named()}: cannot compact the crash journal ({reason}): every edit is still "
        "in it, and comes back after a crash; the next save tries again")
    np.testing.assert_array_equal(np.asarray(nib.load(out).dataobj), session.labels.array)
    assert not window.editor.case.modified                       # the save stands
    assert session.journal.generation == 0
    session.journal_max_records = session.journal.record_count   # the bound waits for a save
    _second_stroke(window)
    painted = session.labels.array.copy()
    saved = np.asarray(nib.load(out).dataobj)
    assert window.editor.case.modified and int((painted > 0).sum()) > int((saved > 0).sum())
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert session.journal.generation == 0
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".npz" or p.name.startswith(".")) == []
    restored = Session(volume, folder)                          # a crash now: every edit is back
    np.testing.assert_array_equal(restored.labels.array, painted)
    restored.close()
    monkeypatch.undo()                                          # room again: the next save compacts
    save_and_wait(window, tmp_path / "labels.nii.gz")
    qtbot.waitUntil(lambda: session.journal.generation == 1 and not window.runner.busy, timeout=30000)
    assert session.compaction_error is None
