"""A training the window started stops when the window is killed: it went on unseen (until its
next line to the window's closed pipe: an epoch, or the whole final evaluation and package),
writing the checkpoint that the next window's Resume was reading and training at the same time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.checkout import REPO
from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")

# stands for the window: starts the train command as the window does (its pid in the variable,
# output to a file so that no closed pipe stops the child), then waits to be killed
WINDOW = """
import os, subprocess, sys, time
env = dict(os.environ, NEUROVIEW_PARENT_PID=str(os.getpid()))
child = subprocess.Popen([sys.executable, "-m", "neuroview"] + sys.argv[2:], env=env,
                         stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
print(child.pid, flush=True)
time.sleep(600)
"""


def test_the_window_passes_its_process_id():
    pytest.importorskip("PySide6")
    from neuroview.ui.training_runner import neuroview_process

    env = neuroview_process().processEnvironment()
    assert env.value("NEUROVIEW_PARENT_PID") == str(os.getpid())


def test_training_stops_when_the_window_is_killed(tmp_path, rng):
    root = make_raw_dataset(tmp_path, rng)
    log = tmp_path / "train.log"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    window = subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(log), "train", "--dataset", str(root), "--out", "blobs",
         "--epochs", "1", "--iterations", "100000", "--patch", "16", "--spacing", "2",
         "--base-channels", "2", "--batch-size", "1", "--device", "cpu", "--threads", "1"],
        stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        child = psutil.Process(int(window.stdout.readline()))
        deadline = time.time() + 120
        while "held-out cases" not in (log.read_text() if log.exists() else ""):   # training now
            assert time.time() < deadline and child.is_running(), log.read_text()
            time.sleep(0.2)
        window.send_signal(signal.SIGKILL)
        window.wait(10)
        try:
            child.wait(15)   # one epoch here is 100000 batches: minutes, not seconds
        except psutil.TimeoutExpired:
            child.kill()
            pytest.fail("the training went on after its window was killed")
    finally:
        window.kill()
        window.wait(10)
