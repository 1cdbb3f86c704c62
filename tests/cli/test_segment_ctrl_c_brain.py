"""Ctrl+C during the brain extraction of ``neuroview segment`` ends the command at once, not after
the fine network's pass (TorchScript: one C++ call, 3-9 s on the MNI head at load 12, where
Python's signal handler could not run) nor the coarse one's (128^3, on the command's own thread
until session 44): the pass runs on its own thread, left running, and the
process ends once the command has unwound (exit hooks run, output flushed, ``os._exit``: its
teardown under the pass aborted it). No output file nor temporary is left, exit status 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.checkout import REPO

CHILD = Path(__file__).with_name("segment_ctrl_c_child.py")


@pytest.mark.parametrize("network", ["fine", "box"])
def test_ctrl_c_in_the_brain_pass_ends_the_command_without_waiting(tmp_path, mni_path, network):
    out, ended = tmp_path / "out" / "labels.nii.gz", tmp_path / "pass-ended"
    out.parent.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen([sys.executable, str(CHILD), "segment", str(mni_path), "-o", str(out),
                                network, str(ended)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=tmp_path)
    lines = []
    while not lines or lines[-1] != f"{network} pass running\n":
        line = process.stderr.readline()
        assert line, f"ended before the brain's {network} pass: {''.join(lines)}"
        lines.append(line)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == "neuroview: interrupted", err
    assert "terminate called" not in err
    assert not ended.exists()                 # it did not wait for the pass to end
    assert os.listdir(out.parent) == []       # no label map, no temporary
