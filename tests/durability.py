"""What the durability tests do to a save: fill the disk under one file's fsync, or run the save
in a child process that is killed at a named crash point or after a delay."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

from tests.checkout import REPO, start_forked_copy


def fail_fsync_of(monkeypatch, part):
    """The disk fills up while ``part`` is written: its fsync reports ENOSPC, as delayed
    allocation does on a full disk."""
    real = os.fsync

    def fsync(fd):
        if part in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


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


FORKED_TIMEOUT_S = 300
"""A forked copy of the test process ends itself (SIGALRM) after this many seconds."""


def fork_killed(work, *args, point=None, delay=None):
    """``work(*args)`` in a forked copy of this process, which has made its imports already (a
    fresh ``python -c`` that saves a model package spent 1.9 of its 2.4 s of CPU importing torch,
    and a delay-kill then mostly landed in that import); NEUROVIEW_CRASH_AT=``point`` kills it
    there, ``delay`` seconds SIGKILL it if it is still running. (returncode as ``Popen`` gives it,
    -9 for a kill; what it wrote to stderr, a traceback if ``work`` raised). Do the work that needs
    compute threads (torch) before the fork: only the forking thread goes on in the copy."""
    import io
    import select
    import traceback

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns into the test
        code = 1
        try:
            start_forked_copy(FORKED_TIMEOUT_S)   # an alarm; torch on one thread
            os.close(read)
            os.dup2(write, 2)
            sys.stdout, sys.stderr = io.StringIO(), os.fdopen(write, "w", buffering=1)
            os.environ.pop("NEUROVIEW_CRASH_AT", None)
            if point:
                os.environ["NEUROVIEW_CRASH_AT"] = point
            result = work(*args)
            code = result if isinstance(result, int) else 0
        except BaseException:
            traceback.print_exc(file=sys.stderr)
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    chunks, end = [], None if delay is None else time.monotonic() + delay
    while True:   # its stderr to the end (the copy ended), or SIGKILL when ``delay`` is up
        wait = None if end is None else max(end - time.monotonic(), 0)
        if select.select([read], [], [], wait)[0]:
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        else:
            os.kill(pid, signal.SIGKILL)   # still running: killed where it is
            end = None
    os.close(read)
    err = b"".join(chunks).decode(errors="replace")
    status = os.waitpid(pid, 0)[1]
    return (-os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)), err


def killed_after(work, *args) -> None:
    """``work(*args)`` in a forked copy of this process (:func:`fork_killed`), SIGKILLed the moment
    it returns: an app killed right after the step, before anything else could save it."""
    def run():
        work(*args)
        os.kill(os.getpid(), signal.SIGKILL)

    code, err = fork_killed(run)
    assert code == -signal.SIGKILL, err
