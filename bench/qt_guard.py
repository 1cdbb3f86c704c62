"""What the Qt-override guard (``ui.qt_guard.guard_overrides``) costs on the calls made most often.

    QT_QPA_PLATFORM=offscreen python bench/qt_guard.py [--calls 2000] [--repeats 5]

Three pairs, each the same code with and without the guard, measured alternately in this run:
an empty ``paintEvent`` (a 64x64 widget: the guard's own cost, the worst case), a 512x512 axial
slice view of a 96^3 image painting (``repaint``, its picture cached as between two mouse moves)
and the same view's ``mouseMoveEvent`` on hover (``QApplication.sendEvent``). Prints calls per
second, the median of ``--repeats`` runs of ``--calls`` calls each, and the ratio guarded / bare;
then the guard's own cost per call, timed on direct calls (Qt's paint machinery left out, which
on a loaded machine varies far more than the guard costs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rate(call, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return calls / (time.perf_counter() - start)


def main() -> int:
    import numpy as np
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

    from neuroview.core.volume import Volume
    from neuroview.ui.main_window import MainWindow
    from neuroview.ui.qt_guard import guard_overrides
    from neuroview.ui.slice_widget import SliceViewWidget

    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])

    painted = {"bare": 0, "guarded": 0}

    class Empty(QWidget):
        def paintEvent(self, event):
            painted["bare"] += 1

    @guard_overrides
    class GuardedEmpty(QWidget):
        def paintEvent(self, event):
            painted["guarded"] += 1

    class BareSliceView(SliceViewWidget):   # the same view, its overrides unwrapped
        paintEvent = SliceViewWidget.paintEvent.__wrapped__
        mouseMoveEvent = SliceViewWidget.mouseMoveEvent.__wrapped__

    window = MainWindow()
    rng = np.random.default_rng(0)
    window.controller.set_volume(Volume(rng.normal(100, 20, (96, 96, 96)).astype(np.float32),
                                        np.diag([2.0, 2.0, 2.0, 1.0])))
    host = QWidget()   # each pair side by side in one window, equally exposed
    layout = QHBoxLayout(host)
    empty = (Empty(), GuardedEmpty())
    views = (BareSliceView("axial", window.controller), SliceViewWidget("axial", window.controller))
    for widget in empty:
        widget.setFixedSize(64, 64)
    for widget in views:
        widget.setFixedSize(512, 512)
    for widget in (*empty, *views):
        layout.addWidget(widget)
    host.show()
    app.processEvents()

    def hover(view):
        points = [QPointF(100 + 37 * n, 200) for n in range(8)]
        events = [QMouseEvent(QEvent.MouseMove, p, view.mapToGlobal(p), Qt.NoButton, Qt.NoButton,
                              Qt.NoModifier) for p in points]
        count = iter(range(10 ** 9))
        return lambda: QApplication.sendEvent(view, events[next(count) % len(events)])

    pairs = {"empty paintEvent": (empty[0].repaint, empty[1].repaint),
             "slice view paintEvent": (views[0].repaint, views[1].repaint),
             "slice view mouseMoveEvent (hover)": (hover(views[0]), hover(views[1]))}
    print(f"load {os.getloadavg()[0]:.1f}, {args.repeats} runs of {args.calls} calls; calls per second")
    for name, (bare, guarded) in pairs.items():
        rates = {"bare": [], "guarded": []}
        for run in range(args.repeats):   # alternately, each first in turn, so load hits both
            for kind in (("bare", "guarded") if run % 2 else ("guarded", "bare")):
                rates[kind].append(rate(bare if kind == "bare" else guarded, args.calls))
        if os.environ.get("QT_GUARD_BENCH_RUNS"):
            print(name, {kind: [round(r) for r in runs] for kind, runs in rates.items()})
        b, g = statistics.median(rates["bare"]), statistics.median(rates["guarded"])
        print(f"  {name:36s} bare {b:10.0f}  guarded {g:10.0f}  guarded/bare {g / b:.3f}")
    direct = {kind: [] for kind in ("bare", "guarded")}   # the wrapper alone, no Qt in between
    for _ in range(args.repeats):
        for kind, widget in (("bare", empty[0]), ("guarded", empty[1])):
            paint = type(widget).paintEvent
            start = time.perf_counter()
            for _ in range(200_000):
                paint(widget, None)
            direct[kind].append((time.perf_counter() - start) / 200_000 * 1e9)
    extra = statistics.median(direct["guarded"]) - statistics.median(direct["bare"])
    print(f"  the guard's own cost per call: {extra:.0f} ns (median of {args.repeats} runs of "
          f"200,000 direct calls: {statistics.median(direct['bare']):.0f} ns bare, "
          f"{statistics.median(direct['guarded']):.0f} ns guarded)")
    assert painted["bare"] >= args.calls * args.repeats, painted
    host.close()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
