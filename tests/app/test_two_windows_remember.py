"""Two windows open at once remember views (``views.json``) and a follow-up's marks
(``followup-marks.json``) each for their own study: both are kept. Each read the file, added its
record and wrote it back, so a window that wrote while the other was between its read and its
write dropped the other's record (last writer wins). Now the read and the write are made under one
lock (``core.settings_file.update_setting``)."""

from __future__ import annotations

import threading

import pytest

import neuroview.core.settings_file as settings_file
from neuroview.app.followup_chosen import remember_marks, saved_marks
from neuroview.app.view_memory import remember_view, remembered_view

WAIT_S = 1.0   # the first window's write held back this long, or until the second's is done


def _views(key):
    remember_view(key, {"window": 100.0, "level": 40.0})


def _marks(key):
    remember_marks(key, [[0, 1, 2, 3]])


@pytest.mark.parametrize("remember", [_views, _marks], ids=["views", "marks"])
def test_two_windows_writing_at_once_keep_both_records(monkeypatch, remember):
    write, writing, second_done = settings_file.write_text_atomic, threading.Event(), threading.Event()

    def held_back(path, text, *args, **kwargs):
        if threading.current_thread().name == "first window":
            writing.set()
            second_done.wait(WAIT_S)   # the other window writes meanwhile, if nothing stops it
        return write(path, text, *args, **kwargs)

    monkeypatch.setattr(settings_file, "write_text_atomic", held_back)
    first = threading.Thread(target=remember, args=("study A",), name="first window")
    first.start()
    assert writing.wait(10)
    remember("study B")   # the second window, while the first is between its read and its write
    second_done.set()
    first.join(10)
    monkeypatch.setattr(settings_file, "write_text_atomic", write)
    kept = {key: (remembered_view(key) if remember is _views else saved_marks(key) or None)
            for key in ("study A", "study B")}
    assert all(kept.values()), kept


def test_a_filesystem_refusing_locks_still_keeps_the_view(monkeypatch):
    """An NFS home without a lock daemon (flock: ENOLCK): the view is kept, written unlocked."""
    import errno

    import neuroview.core.file_lock as file_lock

    def refused(fd, **_options):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(file_lock, "lock", refused)
    _views("study C")
    assert remembered_view("study C") == {"window": 100.0, "level": 40.0}
