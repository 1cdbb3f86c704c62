"""``neuroview train`` started with SIGINT ignored (a background job of a script: a shell without
job control starts it so, and the command inherited it) could not be stopped by SIGINT / Ctrl+C;
the verbs now take SIGINT back at their start, as tests/conftest.py does for the suite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.checkout import REPO
from tests.ui.train_data import make_raw_dataset


def test_sigint_stops_a_training_started_with_sigint_ignored(tmp_path, rng):
    root = make_raw_dataset(tmp_path, rng)
    out = tmp_path / "models" / "blobs"
    out.parent.mkdir()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "neuroview", "train", "--dataset", str(root), "--out", str(out),
         "--epochs", "1000", "--iterations", "20", "--patch", "16", "--spacing", "2",
         "--base-channels", "2", "--batch-size", "1", "--threads", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))   # as `cmd &` in a script
    try:
        deadline = time.monotonic() + 240
        while not out.with_name("blobs.checkpoint").exists():   # an epoch done: training runs
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no epoch finished"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:   # ignored: not left training 1000 epochs
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert not (out / "model.json").exists()
