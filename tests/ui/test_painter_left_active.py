"""A QPainter left painting on a picture of its own (a QImage, a QPixmap) when an exception leaves
its frame takes the process down once the frames go, if the picture goes first: the painter's
destructor ends on freed memory. Session 47's CI lost a worker so (a test helper failed between
``QPainter(image)`` and ``painter.end()``; the garbage collector freed both tests later, while
another test built a window). The window's guard, the segment list's header icons and the test
run end such a painter first. Each case runs in a process of its own: without the fix it dies of
a segmentation fault."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.checkout import REPO

GUARD_AND_ICON = """
import gc

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from neuroview.ui import qt_guard
from neuroview.ui.header_icons import DrawnIconEngine

app = QApplication([])


@qt_guard.guard_overrides
class Picture(QWidget):
    def paintEvent(self, event):
        image = QImage(64, 64, QImage.Format_RGB888)
        painter = QPainter(image)
        painter.drawLine(0, 0, 63, 63)
        raise ValueError("a bug while drawing")


Picture().paintEvent(None)
gc.collect()
print("guard: caught", qt_guard.caught, flush=True)
try:
    DrawnIconEngine("star", QColor("black")).pixmap(QSize(16, 16), QIcon.Normal, QIcon.Off)
except KeyError as error:
    print("icon: KeyError", error, flush=True)
gc.collect()
print("icon: after", flush=True)
"""

FAILS_WHILE_PAINTING = """
import gc

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

app = QApplication.instance() or QApplication([])


def test_fails_while_painting():
    image = QImage(64, 64, QImage.Format_RGB888)
    painter = QPainter(image)
    assert painter.isActive() and False, "a helper's bug"


def test_after_it():
    gc.collect()   # the collection that freed the picture before its painter
"""


def _run(args, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO),
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", NEUROVIEW_HOME=str(cwd / "home"))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_guard_and_the_header_icons_end_a_painter_of_their_own_picture(tmp_path):
    run = _run(["-c", GUARD_AND_ICON], tmp_path)
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stdout}\n{run.stderr[-2000:]}"
    assert run.stdout.splitlines() == ["guard: caught 1", "icon: KeyError 'star'", "icon: after"]
    assert "being painted" not in run.stderr


def test_a_failed_test_leaves_no_painter_painting(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_painting.py").write_text(FAILS_WHILE_PAINTING)
    run = _run(["-m", "pytest", "-p", "tests.painters_ended", "-q", "-p", "no:cacheprovider"],
               tmp_path)
    assert run.returncode == 1, f"exit {run.returncode}\n{run.stdout[-3000:]}\n{run.stderr[-2000:]}"
    assert "1 failed, 1 passed" in run.stdout, run.stdout[-3000:]
    assert "a helper's bug" in run.stdout


def test_the_suite_takes_the_hook(request):
    from tests import painters_ended

    hooks = [getattr(plugin, "pytest_runtest_makereport", None)
             for plugin in request.config.pluginmanager.get_plugins()]
    assert painters_ended.pytest_runtest_makereport in hooks
