"""What the held-step-key watcher (``ui.time_cine.StepKeysHeld``, a Python event filter) costs:
the events that pass through it a second while a 4D run's cine plays and while a brush stroke is
drawn, and the time each costs the event loop.

    QT_QPA_PLATFORM=offscreen python bench/step_keys_filter.py [--events 200000] [--repeats 5]

Per event: ``--events`` posted events delivered by the event loop with a watcher on the
application (as it was until session 52) and with none, in turn, ``--repeats`` times; the
difference of the medians over the count. Events through it: the window (1024x768, four-up) with
the 40-frame 128x128x30 run of ``bench/time_cine.py``, the cine playing 2 s at its rate, then a
brush stroke of 60 mouse moves on the axial view (each move followed by the events it queues);
the calls the window's own watcher took are counted (on the application until session 52, on
the main window's QWindow since s52/suite2). Prints both and their product: the share of
one core the watcher takes.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))


def per_event_us(app, count: int, repeats: int) -> tuple[float, float, float]:
    """Microseconds an event takes the event loop with and without a watcher on the application."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    from neuroview.ui.time_cine import StepKeysHeld

    target, owner = QObject(), QObject()
    kind = QEvent.Type(QEvent.registerEventType())

    def delivered() -> float:
        for _ in range(count):
            QCoreApplication.postEvent(target, QEvent(kind))
        start = time.perf_counter()
        app.processEvents()
        return (time.perf_counter() - start) / count * 1e6

    delivered()   # warm
    with_it, without = [], []
    for _ in range(repeats):
        watcher = StepKeysHeld(owner, lambda: None)
        app.installEventFilter(watcher)   # as it was (the application's every event)
        with_it.append(delivered())
        app.removeEventFilter(watcher)
        watcher.deleteLater()
        app.processEvents()
        without.append(delivered())
    a, b = statistics.median(with_it), statistics.median(without)
    return a, b, a - b


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    from time_cine import bold_run

    from neuroview.io.nifti import save_nifti
    from neuroview.ui import time_cine
    from neuroview.ui.actions_edit import EditActions
    from neuroview.ui.main_window import MainWindow

    EditActions.confirm_close = lambda self: True   # the stroke is thrown away at the end

    app = QApplication.instance() or QApplication([])
    with_us, without_us, cost_us = per_event_us(app, args.events, args.repeats)
    print(f"an event delivered: {with_us:.2f} us with the watcher on the application, "
          f"{without_us:.2f} us without: {cost_us:.2f} us more ({args.repeats} runs of "
          f"{args.events}, medians)")
    calls = [0]
    original = time_cine.StepKeysHeld.eventFilter

    def counted(self, obj, event):
        calls[0] += 1
        return original(self, obj, event)

    time_cine.StepKeysHeld.eventFilter = counted
    with tempfile.TemporaryDirectory() as folder:
        os.environ["NEUROVIEW_HOME"] = str(Path(folder) / "home")
        path = Path(folder) / "bold.nii.gz"
        save_nifti(bold_run(), np.diag([2.0, 2.0, 4.0, 1.0]), path)
        window = MainWindow()
        window.resize(1024, 768)
        window.show()
        window.open_paths([path])

        def run_for(seconds: float) -> None:
            loop = QEventLoop()
            QTimer.singleShot(round(seconds * 1000), loop.quit)
            loop.exec()

        while window.controller.volume is None or window.runner.busy:
            run_for(0.05)
        run_for(2.0)
        calls[0] = 0
        start = time.perf_counter()
        window.time_cine.action.setChecked(True)
        run_for(2.0)
        window.time_cine.action.setChecked(False)
        cine_rate = calls[0] / (time.perf_counter() - start)
        window.edit_actions.panel.select_tool("paint")
        view = window.slice_views["axial"]
        entry = window.windowHandle()
        run_for(0.5)

        def send(kind, x, y, button, buttons) -> None:
            # where the platform's mouse events enter: the window, which passes them to the view
            local = view.mapTo(window, QPointF(x, y))
            QApplication.sendEvent(entry, QMouseEvent(kind, local, view.mapToGlobal(QPointF(x, y)),
                                                      button, buttons, Qt.NoModifier))

        x, y = view.width() / 2 - 30, view.height() / 2
        calls[0] = 0
        start = time.perf_counter()
        send(QEvent.MouseButtonPress, x, y, Qt.LeftButton, Qt.LeftButton)
        for n in range(60):
            send(QEvent.MouseMove, x + n, y + n / 3, Qt.NoButton, Qt.LeftButton)
            app.processEvents()
        send(QEvent.MouseButtonRelease, x + 60, y + 20, Qt.LeftButton, Qt.NoButton)
        app.processEvents()
        drag_rate = calls[0] / (time.perf_counter() - start)
        window.close()
    for name, rate in (("cine playing (four-up)", cine_rate), ("brush stroke", drag_rate)):
        print(f"{name}: {rate:.0f} events a second through the watcher, "
              f"{rate * cost_us / 1e4:.3f} % of a core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
