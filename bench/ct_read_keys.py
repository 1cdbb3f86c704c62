"""A CT reader's steps on a 512x512x300 head CT, against the plain redraw in the same run.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/ct_read_keys.py [--repeats 5]

In the main window (1600x1000, four-up), each step repaints the three slice views, as the screen
does: the plain redraw (the same picture drawn again from the volume), a wheel notch in the axial
view (its slice and the other views' crosshair move), a window preset key (1 brain, 2 subdural,
4 bone, in turn), a window/level drag of 4 pixels, and a new MIP thickness (10, 12, ... mm, in
every view). Prints frames a second (median of ``--repeats`` rounds of ``--steps`` steps) and
each step's ratio to the plain redraw.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()

    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from neuroview.app.view_slab import Slab
    from neuroview.core.volume import Volume
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    rng = np.random.default_rng(0)
    array = rng.integers(-1000, 1500, (512, 512, 300), dtype=np.int16)
    window.controller.set_volume(Volume(array, np.diag([0.45, 0.45, 0.625, 1.0]), modality="CT"))
    app.processEvents()
    c, views = window.controller, list(window.slice_views.values())
    axial = window.slice_views["axial"]

    def repaint() -> None:
        for view in views:
            view.repaint()

    def plain(_i) -> None:
        for view in views:
            view.invalidate()
        repaint()

    def wheel(i) -> None:   # 15 notches up, 15 down: the slices stay inside the volume
        centre = QPointF(axial.width() / 2, axial.height() / 2)
        event = QWheelEvent(centre, axial.mapToGlobal(centre), QPoint(0, 0),
                            QPoint(0, 120 if i % 30 < 15 else -120), Qt.NoButton,
                            Qt.NoModifier, Qt.NoScrollPhase, False)
        QApplication.sendEvent(axial, event)
        repaint()

    presets = ("Brain", "Subdural", "Bone")

    def preset(i) -> None:
        window.display_panel.choose_preset(presets[i % 3])
        repaint()

    def drag(i) -> None:
        c.state.drag_window_level(4 if i % 2 else -4, 4 if i % 2 else -4, c.wl_sensitivity())
        c.changed.emit()
        repaint()

    def slab(i) -> None:
        c.set_slab(Slab(10.0 + 2 * (i % 5), "max"))
        repaint()

    steps = {"plain redraw": plain, "wheel notch": wheel, "preset key": preset,
             "W/L drag": drag, "MIP thickness": slab}
    rates = {name: [] for name in steps}
    for _ in range(args.repeats):
        for name, step in steps.items():
            if name != "MIP thickness":
                c.set_slab(Slab(0.0, "max"))
            start = time.perf_counter()
            for i in range(args.steps):
                step(i)
            rates[name].append(args.steps / (time.perf_counter() - start))
    c.set_slab(Slab(0.0, "max"))
    base = statistics.median(rates["plain redraw"])
    print(f"load {os.getloadavg()[0]:.1f}; three 512-pixel views; median of {args.repeats} rounds")
    for name, values in rates.items():
        fps = statistics.median(values)
        print(f"{name:14s} {fps:6.1f} frames/s  {fps / base:5.2f}x the plain redraw")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
