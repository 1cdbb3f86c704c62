"""Lock files are removed by a process holding them, and a lock taken on a file removed meanwhile
is let go: processes racing to take, give up (removing the file) and clean up one lock file never
hold it at once."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.checkout import REPO

RACER = """
import os, sys, time
from neuroview.core.file_lock import is_held, release_and_remove, try_exclusive_lock
lock, inside, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
time.sleep(max(0.0, start - time.time()))    # all start together
both = taken = i = 0
while time.time() < end or i < 300 or (taken < 20 and time.time() < end + 60):
    # (a racer started late, or starved on a loaded machine, races on until it took the lock)
    i += 1
    if i % 3 == 0:
        is_held(lock)                       # a cleaner: removes the file when it is free
    handle = try_exclusive_lock(lock)
    if handle is None:
        continue
    taken += 1
    try:                                    # nobody else may be inside now
        os.close(os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        both += 1
    else:
        time.sleep(0.0005)
        os.unlink(inside)
    release_and_remove(handle, lock)
print(both, taken)
"""


def test_racing_processes_never_hold_one_lock_at_once(tmp_path):
    lock, inside = tmp_path / "image.open", tmp_path / "inside"
    start = time.time() + 3.0       # after the three have started (2 cores, shared)
    window = [str(start), str(start + 1.5)]
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(lock), str(inside), *window],
                               stdout=subprocess.PIPE, text=True, cwd=REPO) for _ in range(3)]
    results = [tuple(map(int, racer.communicate(timeout=120)[0].split())) for racer in racers]
    assert [both for both, _ in results] == [0, 0, 0]
    assert all(taken > 0 for _, taken in results)          # each took it: they raced
    assert not lock.exists()                              # the last one out removed it
