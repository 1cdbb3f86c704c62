"""``.NAME@VERSION.train-lock`` files stayed in the models folder after every run (finished, failed
or cancelled), and ``--out ../x`` left one beside its output. A run now removes its lock file
however it ends but killed; a killed run's file is stale and does not block the next run, which
removes it."""

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


def _models_dir():
    from neuroview.ai.registry import Registry

    return Registry().models_dir


def _locks(*folders) -> list:
    return sorted(p.name for folder in folders if folder.exists() for p in folder.glob(".*train-lock"))


def _start_training(root, out, log):
    """A run that trains until stopped, started as the window starts one; returns once it trains."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "w") as stream:
        process = subprocess.Popen([sys.executable, "-m", "neuroview", "train", "--dataset", str(root),
                                    "--out", out, "--version", "1.0.0", "--epochs", "1",
                                    "--iterations", "100000", *TINY],
                                   stdout=stream, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    deadline = time.time() + 120
    while "held-out cases" not in log.read_text():
        assert time.time() < deadline and process.poll() is None, log.read_text()
        time.sleep(0.2)
    return process


def test_a_finished_run_and_a_failed_one_leave_no_lock_file(tmp_path, rng, capsys):
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    args = ["train", "--dataset", str(root), "--out", "blobs", "--version", "1.0.0", "--epochs", "1",
            "--iterations", "1", *TINY]
    assert main(args) == 0, capsys.readouterr().err
    assert (_models_dir() / "blobs@1.0.0" / "model.json").is_file()
    assert _locks(_models_dir()) == []
    assert main(args) == 1   # the version exists: stops after taking the lock
    assert "model blobs@1.0.0 exists already" in capsys.readouterr().err
    assert _locks(_models_dir()) == []


def test_a_cancelled_run_outside_the_registry_removes_its_lock_and_excludes_a_second(tmp_path, rng,
                                                                                     capsys, monkeypatch):
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    first = _start_training(root, str(outside / "blobs"), tmp_path / "first.log")
    try:
        assert _locks(outside) == [".blobs.train-lock"]   # beside the output, not in the registry
        assert (outside / ".blobs.train-lock").read_text().strip() == str(first.pid)
        monkeypatch.chdir(tmp_path / "Dataset001_Blobs")   # the same output spelled another way
        code = main(["train", "--dataset", str(root), "--out", "../elsewhere/blobs", "--epochs", "1",
                     "--iterations", "1", *TINY])
        err = capsys.readouterr().err
        assert code == 1
        assert "another run is training blobs now" in err and f"(process {first.pid})" in err, err
    finally:
        first.send_signal(signal.SIGTERM)   # what the window's Cancel sends
        code = first.wait(30)
    assert code == 143, (tmp_path / "first.log").read_text()   # 128 + SIGTERM, said in words:
    assert "neuroview: stopped (SIGTERM)" in (tmp_path / "first.log").read_text()
    assert _locks(outside, tmp_path, _models_dir()) == []
    assert not (outside / "blobs" / "model.json").exists()


def test_a_killed_runs_lock_is_stale_and_the_next_run_removes_it(tmp_path, rng, capsys):
    from neuroview.cli.main import main

    root = make_raw_dataset(tmp_path, rng)
    first = _start_training(root, "blobs", tmp_path / "first.log")
    first.kill()   # SIGKILL: nothing of it runs any more
    first.wait(30)
    assert _locks(_models_dir()) == [".blobs@1.0.0.train-lock"]   # what a kill leaves
    assert main(["train", "--dataset", str(root), "--out", "blobs", "--version", "1.0.0",
                 "--epochs", "1", "--iterations", "1", *TINY]) == 0, capsys.readouterr().err
    assert (_models_dir() / "blobs@1.0.0" / "model.json").is_file()
    assert _locks(_models_dir()) == []


def test_a_cancelled_run_stops_its_sample_workers_too(tmp_path):
    """``--workers N``: the processes drawing samples went on (at full CPU) after the run was
    cancelled, orphaned, until killed by hand."""
    children_file = "/proc/{0}/task/{0}/children"
    if not os.path.exists(children_file.format(os.getpid())):
        pytest.skip("needs Linux's /proc/PID/task/PID/children")
    log, workers = tmp_path / "run.log", []
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with open(log, "w") as stream:
        run = subprocess.Popen([sys.executable, "-m", "neuroview", "train", "--interactive", "--out",
                                str(tmp_path / "clicks"), "--minutes", "10", "--iterations", "2",
                                "--workers", "1", "--threads", "1", "--batch-size", "1"],
                               stdout=stream, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    try:
        deadline = time.time() + 300
        while not workers:   # cancelled once its sample worker draws (not after a whole epoch)
            assert time.time() < deadline and run.poll() is None, log.read_text()
            time.sleep(0.1)
            with open(children_file.format(run.pid)) as listing:
                workers = [int(pid) for pid in listing.read().split() if _drawing(int(pid))]
    finally:
        run.send_signal(signal.SIGTERM)
        code = run.wait(30)
    try:
        assert code == 143, log.read_text()
        deadline = time.time() + 10
        while any(_alive(pid) for pid in workers):
            assert time.time() < deadline, f"sample workers {workers} still run"
            time.sleep(0.1)
        assert _locks(tmp_path) == []
    finally:   # the test's own processes, whatever it found
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _drawing(pid: int) -> bool:
    """The process has spent a quarter second of CPU: a worker forked by the run (no imports of
    its own), making its sampler (the anatomy's contrast alone is 0.6 s) or drawing. A second, as
    before, came only after the run had trained several epochs (60 s at load 7): since the
    held-out objects are made before the workers fork, a worker's set-up costs less than a
    second, and it then waits with 8 cubes ready until the training takes them."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return int(fields[11]) + int(fields[12]) >= os.sysconf("SC_CLK_TCK") / 4   # utime + stime


def _alive(pid: int) -> bool:
    """Not gone and not a zombie waiting for its (gone) parent's init to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
