"""Run ``neuroview`` commands the way a user would, under a 4 GiB address-space limit and a
time limit per command: ``python limited_cli.py SECONDS JSON`` where JSON is a list of argv lists.

Prints one JSON list of ``{"rc", "stdout", "stderr", "peak_rss", "seconds"}``; an exception
escaping ``main`` (which a user would see as a traceback) is recorded as ``rc = "traceback"`` with
its text. ``peak_rss`` is how far the command raised the process's resident peak (``VmHWM``) above
what it was before the command (after importing neuroview), in bytes. ``LIMITED_CLI_ENTRY`` in
the environment names another ``module:function`` to run in place of ``neuroview``'s ``main``.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

LIMIT = 4 << 30
ENTRY = "LIMITED_CLI_ENTRY"
"""Another ``module:function`` taking an argv list to run in place of ``neuroview`` (a bench's
stand-in for what the window does, which no command does)."""


class TimeLimit(BaseException):
    """Not an Exception: ``main``'s own handlers must not turn it into a clean line."""


def _alarm(signum, frame):
    raise TimeLimit()


def _peak_rss() -> int:
    """The resident peak (``VmHWM``) of this process, in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _reset_peak() -> None:
    """Start the next command's peak from the present resident size (Linux: ``clear_refs`` 5),
    after handing the heap that earlier commands freed back to the system (glibc keeps up to
    64 MB of it, which the next command could fill without raising the peak)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def main() -> None:
    seconds, commands = int(sys.argv[1]), json.loads(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
    signal.signal(signal.SIGALRM, _alarm)
    module, _, name = os.environ.get(ENTRY, "neuroview.cli.main:main").partition(":")
    neuroview = getattr(importlib.import_module(module), name)

    results = []
    for argv in commands:
        out, err = io.StringIO(), io.StringIO()
        _reset_peak()
        before, start = _peak_rss(), time.monotonic()
        signal.alarm(seconds)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                rc = neuroview(argv)
        except TimeLimit:
            rc = "timeout"
        except BaseException:  # noqa: BLE001 - what the user would see
            rc, err = "traceback", io.StringIO(err.getvalue() + traceback.format_exc())
        finally:
            signal.alarm(0)
        results.append({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue(),
                        "peak_rss": _peak_rss() - before, "seconds": time.monotonic() - start})
    sys.__stdout__.write(json.dumps(results))


def run_limited(commands: list[list[str]], seconds: int = 30, env: dict | None = None) -> list[dict]:
    """Run ``commands`` (argv lists of ``neuroview``) in one limited child process."""
    repo = Path(__file__).resolve().parents[2]
    full_env = dict(os.environ, **(env or {}))
    full_env["PYTHONPATH"] = str(repo) + os.pathsep + full_env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, __file__, str(seconds), json.dumps(commands)],
                          capture_output=True, text=True, env=full_env,
                          timeout=seconds * len(commands) + 60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


if __name__ == "__main__":
    main()
