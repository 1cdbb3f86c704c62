"""What the durability tests do to a save: fill the disk under one file's fsync, or run the save
in a child process that is killed at a named crash point or after a delay."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

from tests.checkout import REPO


def fail_fsync_of(monkeypatch, part):
    """The disk fills up while ``part`` is written: its fsync reports ENOSPC, as delayed
    allocation does on a full disk."""
    real = os.fsync

    def fsync(fd):
        if part in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def run_killed(script, *args, point=None, delay=None, cwd=None):
    """Run ``python -c script args`` from this checkout; NEUROVIEW_CRASH_AT=``point`` kills it
    there, ``delay`` seconds SIGKILL it if it is still running. (returncode, stderr)."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if point:
        env["NEUROVIEW_CRASH_AT"] = point
    process = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], env=env, cwd=cwd,
                               stderr=subprocess.PIPE, text=True)
    if delay is not None:
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def kill_when(script, args, stop, pythonpath=()) -> subprocess.Popen:
    """Run ``python script args`` from this checkout (the ``pythonpath`` folders next on
    PYTHONPATH), hand each line it prints to ``stop(line)`` and SIGKILL it as soon as that is
    true (120 s at most): the process, ended and waited for."""
    path = os.pathsep.join([str(REPO), *map(str, pythonpath), os.environ.get("PYTHONPATH", "")])
    process = subprocess.Popen([sys.executable, str(script), *map(str, args)],
                               stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=path))
    deadline = time.monotonic() + 120
    try:
        for line in process.stdout:
            if stop(line):
                os.kill(process.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "worker too slow"
    finally:
        process.kill()
        process.wait()
    return process
