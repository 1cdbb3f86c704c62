"""*File > Open follow-up...* opens without importing what only the comparison needs: the first
one froze the window 0.7 s (load 3) to 2.3 s (load 11, newuser41) importing scipy.ndimage,
SimpleITK's registration and pydicom on the GUI thread before its dialog was shown. Run in a
fresh interpreter: this test process has imported them all already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, sys
from PySide6.QtWidgets import QApplication, QDialog
from neuroview.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow()
window.show()
app.processEvents()
QDialog.exec = lambda self: QDialog.Rejected   # Cancel at once: what the opening imported
before = set(sys.modules)
next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Open follow-up...").trigger()
print(json.dumps(sorted(set(sys.modules) - before)))
"""

HEAVY = ("scipy.ndimage", "SimpleITK", "pydicom", "neuroview.app.followup", "neuroview.io.registration")


def test_the_follow_up_dialog_opens_without_the_comparisons_imports(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NEUROVIEW_HOME=str(tmp_path),
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert "neuroview.ui.followup_open" in imported   # the dialog did open, here
    assert [name for name in imported if name in HEAVY] == []
