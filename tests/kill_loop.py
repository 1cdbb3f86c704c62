"""A kill loop: a forked copy of the test process writes a file over and over (version 1, 2, 3...)
and is sent SIGKILL at a random instant, many times; after each kill the file is read back. It
must hold a whole version (old or new, never a torn one) and never one older than the file held
before that copy started (no edit lost). ``tests.durability`` kills one save at a time, at named
points or after a delay; this loop kills a writer that is almost always inside a write."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path
from typing import Callable

from tests.checkout import start_forked_copy


def kill_loop(path: Path, write: Callable[[int], None], read: Callable[[], int], kills: int = 30,
              seed: int = 41, settle_s: float = 0.02) -> tuple[int, int]:
    """Kill a copy writing ``path`` ``kills`` times. ``write(n)``: writes version ``n``;
    ``read()``: the version the file holds (0 when there is none), raising when it is torn.
    Each copy starts at the version after the one read, is killed ``0..settle_s`` seconds after
    its first write is seen (``settle_s``: about two writes' time), and the file is read back.
    Returns (the last version read, the kills that left a temporary or an intent file beside
    ``path``: landed inside a write)."""
    rng = random.Random(seed)
    seen = read()
    landed = 0
    for _kill in range(kills):
        before = _hidden(path)
        pid = os.fork()
        if pid == 0:   # the copy: writes until it is killed (or its alarm ends it)
            try:
                start_forked_copy(60)
                version = seen + 1
                while True:
                    write(version)
                    version += 1
            finally:
                os._exit(1)
        try:
            _wait_for_a_write(path, _inode(path), pid)
            time.sleep(rng.uniform(0, settle_s))
        finally:
            os.kill(pid, signal.SIGKILL)
            _pid, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"the writer ended by itself (status {status})"
        version = read()   # raises on a torn file
        assert version > seen, f"version {version} after a kill, {seen} before it: an edit lost"
        seen = version
        landed += len(_hidden(path) - before) > 0
    return seen, landed


def _inode(path: Path):
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _wait_for_a_write(path: Path, inode, pid: int) -> None:
    """Until the copy has replaced ``path`` once (it is then in its loop of writes); the file is
    not read meanwhile (a pair of files is whole only once the writer is stopped)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _inode(path) != inode:
            return
        ended, _status = os.waitpid(pid, os.WNOHANG)
        assert ended == 0, "the writer died before its first write"
        time.sleep(0.001)
    raise AssertionError(f"{path.name}: no write in 30 s")


def _hidden(path: Path) -> set[str]:
    """The hidden files beside ``path``: what a write killed half-way leaves (its temporaries,
    ``core.commit``'s intent file)."""
    return {p.name for p in path.parent.iterdir() if p.name.startswith(".")}


def temporaries(path: Path) -> set[str]:
    """Names of the temporaries ``core.atomic.atomic_path`` leaves beside ``path`` when killed."""
    from neuroview.core.commit import stale_temporaries

    return {p.name for p in stale_temporaries(path)}
