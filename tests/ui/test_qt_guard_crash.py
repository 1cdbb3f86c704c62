"""An exception in a Qt override, or in a slot, never takes the window down (``ui.qt_guard``).

What shiboken 6.11.3 does without the guard (this test run on the old code): the axial view's
``paintEvent`` raising inside ``window.grab()``, called from a slot, leaves the exception pending,
so every later override in that grab (the event filters, the other views' ``paintEvent``) fails at
its first line and the grab raises into the slot; the process then died of a segmentation fault
(rc -11) before the script's end, 3 runs of 3. A bare widget whose first child raises in ``grab()``
segfaulted at once (the second test, unguarded). Both run in a child interpreter, so a crash fails
the test instead of killing pytest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from fresh_window import REPO

START = r"""
import json
from PySide6.QtWidgets import QApplication

app = QApplication([])
"""

WINDOW_SCRIPT = r"""
import os, tempfile
import numpy as np, nibabel as nib
from PySide6.QtCore import QTimer
from neuroview.app import session_journal
from neuroview.ui.launch import launch
from neuroview.ui.main_window import MainWindow

session_journal.SEGMENTS_MIRROR_SECONDS = 3600   # segments.json is written only when flushed
folder = tempfile.mkdtemp()
path = os.path.join(folder, "case.nii.gz")
image = np.random.default_rng(0).normal(100, 10, (40, 40, 40)).astype(np.float32)
nib.save(nib.Nifti1Image(image, np.diag([2.0, 2.0, 2.0, 1.0])), path)
result = {}


def broken_slot():
    raise KeyError("a slot fault")


def steps():
    try:
        yield from checks()
    except Exception as error:   # said in the result, and the window still closes
        result["error"] = repr(error)[:300]
    print(json.dumps(result), flush=True)   # before launch() returns: it may end the process
    app.exit(0)


def checks():
    shown = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    win = shown[0]
    while win.editor.session is None:
        yield
    session = win.editor.session
    session.segments.add("lesion")
    session.apply("paint", at_ras=np.array([40.0, 40.0, 40.0]), radius_mm=6)
    session.segments.add("edema")
    session.apply("paint", at_ras=np.array([20.0, 20.0, 40.0]), radius_mm=4)
    painted = session.labels.array.copy()
    yield
    views = win.slice_views
    for view in views.values():
        view._stale = True
    before = {plane: view.renders for plane, view in views.items()}

    def fault(painter):
        raise ValueError("a test fault")

    views["axial"]._draw_tag = fault
    win.grab()                      # a Python call into Qt, as an export makes
    result["grab_returned"] = True
    result["others_painted"] = all(views[p].renders > before[p] for p in ("sagittal", "coronal"))
    del views["axial"]._draw_tag
    yield
    yield
    result["paint_notice"] = win.notice_bar.text
    segments = json.load(open(session.journal.segments_path))
    result["flushed_segments"] = sorted(s["name"] for s in segments)
    QTimer.singleShot(0, broken_slot)
    yield
    yield
    result["slot_notice"] = win.notice_bar.text
    result["voxels_kept"] = bool(np.array_equal(session.labels.array, painted))
    session.apply("paint", at_ras=np.array([60.0, 60.0, 40.0]), radius_mm=4)
    result["edited_after"] = int((session.labels.array != painted).sum())
    views["axial"]._stale = True
    renders = views["axial"].renders
    views["axial"].repaint()
    result["axial_repainted"] = views["axial"].renders > renders
    win.editor.set_case(None)   # closes the session; the journal keeps the unsaved work


runner = steps()
timer = QTimer()
timer.timeout.connect(lambda: next(runner, None))
timer.start(30)
raise SystemExit(launch([path]))
"""

BARE_SCRIPT = r"""
from PySide6.QtWidgets import QVBoxLayout, QWidget
from neuroview.ui.qt_guard import guard_overrides


@guard_overrides
class Broken(QWidget):
    def paintEvent(self, event):
        raise RuntimeError("paint fault")


@guard_overrides
class Counted(QWidget):
    painted = 0

    def paintEvent(self, event):
        Counted.painted += 1


top = QWidget()
layout = QVBoxLayout(top)
for widget in (Broken(), Counted(), Counted()):
    layout.addWidget(widget)
top.resize(100, 200)
top.grab()
print(json.dumps({"counted": Counted.painted}))
"""


def _run(script: str, tmp_path) -> tuple[dict, str, int]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NEUROVIEW_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-c", START + script], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    last = (run.stdout.strip().splitlines() or ["{}"])[-1]
    return (json.loads(last) if last.startswith("{") else {}), run.stderr, run.returncode


def test_a_raising_paint_and_slot_leave_the_window_working(tmp_path):
    result, stderr, code = _run(WINDOW_SCRIPT, tmp_path)
    assert code == 0, (code, result, stderr[-2000:])
    assert "error" not in result, result
    assert result["grab_returned"] and result["others_painted"], result
    assert result["paint_notice"] == ("Internal error in SliceViewWidget.paintEvent: ValueError: a test "
                                      "fault; your work is kept")
    assert result["flushed_segments"] == ["edema", "lesion"]
    # a KeyError's quoted key may be a value of the case: not shown since session 43
    assert result["slot_notice"] == ("Internal error in broken_slot: KeyError: value not shown; your "
                                     "work is kept")
    assert result["voxels_kept"] and result["edited_after"] > 0 and result["axial_repainted"], result
    # the traceback is logged once, with the code's lines and no voxel data
    assert stderr.count("Internal error in SliceViewWidget.paintEvent") == 1, stderr[-3000:]
    assert 'slice_widget.py", line' in stderr and "in fault" in stderr


def test_a_bare_widget_whose_child_raises_in_grab(tmp_path):
    """Unguarded, this segfaulted (rc -11) at ``grab()`` on PySide6 6.11.3."""
    result, stderr, code = _run(BARE_SCRIPT, tmp_path)
    assert code == 0, (code, result, stderr[-2000:])
    assert result == {"counted": 2}
