"""The main window in a fresh interpreter (torch not imported yet, as in the window a user opens):
the start of a child script, and its run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

START = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
from neuroview.ui.main_window import MainWindow

app = QApplication(sys.argv[:1])
window = MainWindow()
window.show()
app.processEvents()
assert "torch" not in sys.modules, "the window imported torch at its start"
"""


def run_fresh(script: str, tmp_path, repo: Path = REPO) -> tuple[dict, str, int]:
    """Run :data:`START` then ``script`` on ``repo``'s neuroview: (the JSON of its last line of
    output, {} without one; its stderr; its exit status)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NEUROVIEW_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(repo))
    run = subprocess.run([sys.executable, "-c", START + script], cwd=repo, env=env, capture_output=True,
                         text=True, timeout=600)
    lines = run.stdout.strip().splitlines()
    return (json.loads(lines[-1]) if lines else {}), run.stderr, run.returncode
