"""Two runs of one NAME@VERSION at once (two windows, or a window and a terminal): both trained on
one checkpoint folder, each printed its own held-out Dice, and the package of whichever finished
last was installed without a word. The second is now refused in one line before training."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.checkout import REPO
from tests.ui.train_data import make_raw_dataset

pytest.importorskip("torch")
pytest.importorskip("fcntl")

TINY = ["--patch", "16", "--spacing", "2", "--base-channels", "2", "--batch-size", "1",
        "--device", "cpu", "--threads", "1"]


def test_a_second_run_of_the_same_version_is_refused_while_the_first_trains(tmp_path, rng, capsys):
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    log = tmp_path / "first.log"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "w") as out:
        first = subprocess.Popen([sys.executable, "-m", "neuroview", "train", "--dataset", str(root),
                                  "--out", "blobs", "--version", "1.0.0", "--epochs", "1",
                                  "--iterations", "100000", *TINY],
                                 stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    try:
        deadline = time.time() + 120
        while "held-out cases" not in log.read_text():   # the first is training now
            assert time.time() < deadline and first.poll() is None, log.read_text()
            time.sleep(0.2)
        code = main(["train", "--dataset", str(root), "--out", "blobs", "--version", "1.0.0",
                     "--epochs", "1", "--iterations", "1", *TINY])
        err = capsys.readouterr().err
        assert code == 1
        assert "another run is training blobs@1.0.0 now (another window or terminal)" in err, err
        assert first.poll() is None                       # the first goes on
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(30)
    # once it has ended, the version can be trained (and the lock is given back after the run)
    for _ in range(2):
        assert main(["train", "--dataset", str(root), "--out", "blobs", "--version", "1.0.0", "--force",
                     "--epochs", "1", "--iterations", "1", *TINY]) == 0, capsys.readouterr().err
