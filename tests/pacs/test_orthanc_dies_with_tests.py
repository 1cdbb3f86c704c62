"""A test process that died (a segmentation fault, a kill) left the Orthanc servers it had started
running, their ports and storage taken, until killed by hand: they now end with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"   # a zombie has ended
    except OSError:
        return False


def test_a_killed_test_process_takes_its_orthanc_with_it(orthanc_factory, tmp_path):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs Linux's /proc")
    starts = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
              "from pathlib import Path\n"
              "from orthanc_server import OrthancServer\n"
              f"server = OrthancServer(Path({str(tmp_path)!r})).start()\n"
              "print(server.process.pid, flush=True)\n"
              "sys.stdin.read()\n")   # until the test kills it
    tests = subprocess.Popen([sys.executable, "-c", starts], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    server = int(tests.stdout.readline())
    try:
        assert _running(server)
        tests.kill()   # SIGKILL: no teardown, no atexit
        tests.wait(30)
        deadline = time.monotonic() + 10
        while _running(server):
            assert time.monotonic() < deadline, f"Orthanc {server} still runs after its test process died"
            time.sleep(0.05)
    finally:
        if _running(server):
            os.kill(server, signal.SIGKILL)
