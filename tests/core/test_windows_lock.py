"""The training lock and the file locks on Windows, tested on Linux as far as it allows: Windows
has no ``fcntl``, so ``neuroview train`` took no lock there and two runs to one output both
trained (and ``core.file_lock`` locked nothing: two windows could edit one workspace, two
``dataset add`` write one training set). ``core.os_lock`` now takes ``msvcrt.locking`` where there
is no ``fcntl``. Here child processes pretend to be Windows (``fcntl`` gone, ``msvcrt`` faked at
the OS call only: ``tests/core/fake_msvcrt.py``, kernel record locks doing the excluding) and
run neuroview's own lock code: a second run is refused naming the first's process, a killed run's
lock is taken over, and the lock file is removed at the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.checkout import REPO

pytest.importorskip("fcntl")   # the fake's own locks are the kernel's record locks

PRELUDE = """
import sys, time
from pathlib import Path
from tests.core.fake_msvcrt import pretend_windows
pretend_windows()
from neuroview.core import os_lock
assert os_lock.system_locking() == "msvcrt", os_lock.system_locking()
"""


def _child(code: str, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", PRELUDE + textwrap.dedent(code), *map(str, args)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env, cwd=REPO)


def _until(process: subprocess.Popen, word: str) -> str:
    line = process.stdout.readline()
    assert line.startswith(word), line + process.stdout.read()
    return line


TRAIN = """
from neuroview.cli import train_lock
from neuroview.core.errors import NeuroviewError
try:
    train_lock.hold(Path(sys.argv[1]))
except NeuroviewError as exc:
    print("refused:", exc.message, exc.hint, flush=True)
    sys.exit(3)
print("held", flush=True)
if sys.argv[2] == "wait":
    sys.stdin.readline()
train_lock.release()
print("released", flush=True)
"""


def test_a_second_training_run_is_refused_and_a_killed_ones_lock_taken_over(tmp_path):
    folder = tmp_path / "blobs"
    lock = tmp_path / ".blobs.train-lock"
    first = _child(TRAIN, folder, "wait")
    try:
        _until(first, "held")
        assert lock.read_text().strip() == str(first.pid)
        second = _child(TRAIN, folder, "go")
        out, _ = second.communicate(timeout=60)
        assert second.returncode == 3, out
        assert "another run is training blobs now" in out and f"(process {first.pid})" in out, out
    finally:
        first.send_signal(signal.SIGKILL)   # killed: its lock file stays, stale
        first.wait(30)
        first.stdout.close()
    assert lock.exists()
    third = _child(TRAIN, folder, "go")
    out, _ = third.communicate(timeout=60)
    assert third.returncode == 0 and out.split() == ["held", "released"], out
    assert not lock.exists()                 # removed at the end (nobody else had it open)


FILES = """
from neuroview.core import file_lock
path = Path(sys.argv[1])
if sys.argv[2] == "hold":
    handle = file_lock.try_exclusive_lock(path)
    print("held" if handle is not None else "busy", flush=True)
    sys.stdin.readline()
    file_lock.release_and_remove(handle, path)
    print("released", path.exists(), flush=True)
else:
    print("held by another:", file_lock.is_held(path), file_lock.try_exclusive_lock(path) is None,
          flush=True)
"""


def test_a_workspace_lock_excludes_another_process_and_is_removed(tmp_path):
    path = tmp_path / "case.open"
    holder = _child(FILES, path, "hold")
    try:
        _until(holder, "held")
        looker = _child(FILES, path, "look")
        out, _ = looker.communicate(timeout=60)
        assert out.split() == ["held", "by", "another:", "True", "True"], out
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert _until(holder, "released").split() == ["released", "False"]
        assert holder.wait(30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait(30)
        holder.stdout.close()
    assert not path.exists()


def test_the_windows_branch_locks_a_byte_past_the_text_and_keeps_the_position(tmp_path, monkeypatch):
    """The switch, in this process: with no ``fcntl`` the lock is ``msvcrt.locking`` of one byte
    at ``LOCK_BYTE`` (1 GiB: the process id written at the start stays readable on Windows,
    whose locks are mandatory), and the file's position is left where it was."""
    from tests.core import fake_msvcrt

    monkeypatch.setitem(sys.modules, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", fake_msvcrt)
    monkeypatch.setattr(fake_msvcrt, "calls", [])
    from neuroview.core import os_lock

    assert os_lock.system_locking() == "msvcrt"
    with open(tmp_path / "x.lock", "a+") as handle:
        handle.write("1234\n")
        handle.flush()
        before = os.lseek(handle.fileno(), 0, os.SEEK_CUR)
        assert os_lock.lock(handle.fileno(), wait=False)
        assert fake_msvcrt.calls == [(fake_msvcrt.LK_NBLCK, os_lock.LOCK_BYTE, 1)]
        assert os.lseek(handle.fileno(), 0, os.SEEK_CUR) == before
    assert (tmp_path / "x.lock").read_text() == "1234\n"
