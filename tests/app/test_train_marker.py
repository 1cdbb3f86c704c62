"""``app.train_marker``: a training run's mark is said cut short only when the window that marked
it is gone, once, with what was kept."""

from __future__ import annotations

import json
import subprocess
import sys

from neuroview.app.train_marker import clear_run, cut_short_runs, mark_run


def _dead_window(models, ref, epochs) -> None:
    """The mark a window wrote before it died (a process that has ended)."""
    mark_run(models, ref, epochs)
    ended = subprocess.run([sys.executable, "-c", "import psutil, os; p = psutil.Process(); "
                            "print(os.getpid(), p.create_time())"], capture_output=True, text=True)
    pid, started = ended.stdout.split()
    path = models / f".training-{ref}.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "pid": int(pid),
                                "pid_started": float(started)}))


def test_only_the_runs_of_windows_gone_are_said_once(tmp_path):
    models = tmp_path / "models"
    mark_run(models, "live@1.0.0", 5)          # this process: a window still open
    _dead_window(models, "none@1.0.0", 4)      # killed before its first epoch ended
    _dead_window(models, "done@1.0.0", 2)      # its package written as the window died
    (models / "done@1.0.0").mkdir()
    (models / "done@1.0.0" / "model.json").write_text("{}")
    said = dict(cut_short_runs(models))
    assert set(said) == {"none@1.0.0", "done@1.0.0"}
    assert said["none@1.0.0"].endswith("was cut short when its window closed before its first "
                                       "epoch ended: no checkpoint was kept (Start begins again).")
    assert said["done@1.0.0"] == "Training done@1.0.0 finished as its window closed: it is in AI > Models..."
    assert cut_short_runs(models) == []       # once
    clear_run(models, "live@1.0.0")            # its window said how it ended
    assert not list(models.glob(".training-*"))
