"""Benchmark: what a paint stroke costs with the 3D view shown, against the slice views alone.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/paint3d.py [--repeats 6]

The window (1400x900) opens the demo head (MNI152, 197x233x189 at 1 mm) and paints strokes of a
5 mm 2D brush on the axial view (mouse events: press, 12 moves, release), in turn in the four-up
layout (the 3D view shown: it rebuilds the segment's surface and draws a frame) and the one-row
layout (three slice views, the 3D view hidden). Each stroke is measured in CPU seconds of the
whole process (all threads: the surface build runs in a worker) from the press until the window
is idle again: no surface build, frame or job pending. Prints the median per layout and their
ratio (1.0: the 3D view costs a stroke nothing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_1mm.nii.gz"


def settle(app, window, timeout: float = 60.0) -> None:
    """Run the event loop until nothing is pending (sleeping between checks costs no CPU)."""
    view3d = window.view3d
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        busy = (view3d.surfaces_pending or view3d.frame_pending or window.runner.busy
                or view3d._markups_timer.isActive() or window.editor._edited_timer.isActive())
        if not busy:
            return
        time.sleep(0.005)
    raise TimeoutError("the window did not settle")


def stroke(app, window, start_ras) -> None:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    view = window.slice_views["axial"]
    geom = window.controller.state.geometry("axial", view.width(), view.height())
    a = np.asarray(geom.ras_to_pixel(start_ras), float)
    b = np.asarray(geom.ras_to_pixel(np.asarray(start_ras) + [12.0, 4.0, 0.0]), float)

    def send(kind, pos, button, buttons):
        event = QMouseEvent(kind, QPointF(*pos), view.mapToGlobal(QPointF(*pos)), button, buttons,
                            Qt.NoModifier)
        QApplication.sendEvent(view, event)
        app.processEvents()

    send(QEvent.MouseButtonPress, a, Qt.LeftButton, Qt.LeftButton)
    for t in np.linspace(0, 1, 13)[1:]:
        send(QEvent.MouseMove, a + t * (b - a), Qt.NoButton, Qt.LeftButton)
    send(QEvent.MouseButtonRelease, b, Qt.LeftButton, Qt.NoButton)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=6)
    args = parser.parse_args()
    os.environ["NEUROVIEW_HOME"] = tempfile.mkdtemp(prefix="neuroview-bench-")
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.actions_edit import EditActions
    from neuroview.ui.main_window import MainWindow

    EditActions.confirm_close = lambda self: True   # the strokes are thrown away at the end
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_paths([DEMO])
    end = time.monotonic() + 120
    while (window.editor.session is None or window.view3d.scene is None
           or window.view3d.rgb is None) and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    settle(app, window)
    session = window.editor.session
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5.0, mode="2d")
    centre = np.array(window.controller.state.center_ras, float)
    window.controller.set_crosshair(centre)
    settle(app, window)
    costs = {"four-up": [], "one-row": []}
    frames = {"four-up": 0, "one-row": 0}
    window.view3d.rendered.connect(lambda: frames.__setitem__(layout, frames[layout] + 1))
    for n in range(args.repeats + 1):   # the first round (first surface, shaders) not counted
        for layout in ("four-up", "one-row"):
            window.set_layout(layout)
            settle(app, window)
            start = centre + [-30.0 + 5.0 * n, -20.0 + 8.0 * (layout == "one-row"), 0.0]
            cpu = time.process_time()
            stroke(app, window, start)
            settle(app, window)
            if n:
                costs[layout].append(time.process_time() - cpu)
    window.edit_actions.close_case()
    window.close()
    shown, hidden = (statistics.median(costs[k]) for k in ("four-up", "one-row"))
    print(f"paint stroke, CPU s (median of {args.repeats}): 3D view shown {shown:.3f} "
          f"({frames['four-up']} frames), slice views only {hidden:.3f} "
          f"({frames['one-row']} frames)")
    print(f"ratio shown / slice views only: {shown / hidden:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
