"""Benchmark of the main window's own cost: processor time to make a ``MainWindow``, show it
(until its events are handled) and close it, in one Python with Qt and neuroview already
imported, as every window test (about 760 of them) and every user's start pays it.

Against a reference made in the same run, alternating, that holds no neuroview code: a bare
``QMainWindow`` with as many menus, actions with shortcuts, dock panels and widgets (boxes,
lists, buttons, labels in forms) as the neuroview window has, made, shown and closed the same
way. Medians of CPU milliseconds per window (``time.process_time``), and the ratio. Qt's
offscreen platform unless DISPLAY is set.

Run: python bench/window_start.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MENUS, ACTIONS, DOCKS, WIDGETS = 12, 101, 6, 500
"""The reference's counts, as the neuroview window's (printed for both: a menu and a dock have
an action of their own)."""


def reference_window(rows: int):
    """A QMainWindow of plain Qt widgets: ``rows`` form rows spread over the docks."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDockWidget,
        QDoubleSpinBox,
        QFormLayout,
        QGridLayout,
        QLabel,
        QLineEdit,
        QMainWindow,
        QPushButton,
        QScrollArea,
        QWidget,
    )

    window = QMainWindow()
    menus = [window.menuBar().addMenu(f"&Menu {n}") for n in range(MENUS)]
    for n in range(ACTIONS):
        action = menus[n % MENUS].addAction(f"Item {n}...")
        if n < 60:
            action.setShortcut(QKeySequence(f"Ctrl+Shift+{chr(ord('A') + n % 26)}" if n < 26
                                            else f"Alt+{chr(ord('A') + n % 26)}" if n < 52 else f"F{n - 50}"))
        action.setStatusTip(f"What item {n} does")
        action.triggered.connect(lambda _=False, n=n: window.setWindowTitle(str(n)))
    central = QWidget()
    grid = QGridLayout(central)
    for n in range(4):
        grid.addWidget(QLabel(f"view {n}"), n // 2, n % 2)
    window.setCentralWidget(central)
    makers = (lambda: QDoubleSpinBox(), lambda: QComboBox(), lambda: QPushButton("Apply"),
              lambda: QCheckBox("Shown"), lambda: QLineEdit("text"))
    for d in range(DOCKS):
        panel = QWidget()
        form = QFormLayout(panel)
        for r in range(d, rows, DOCKS):
            widget = makers[r % len(makers)]()
            if isinstance(widget, QComboBox):
                widget.addItems(["one", "two", "three"])
            form.addRow(f"Row {r}", widget)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        dock = QDockWidget(f"Panel {d}", window)
        dock.setObjectName(f"panel-{d}")
        dock.setWidget(scroll)
        window.addDockWidget(Qt.RightDockWidgetArea, dock)
    return window


def counts(window) -> tuple[int, int, int, int]:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

    return (len(window.findChildren(QMenu)), len(window.findChildren(QAction)),
            len(window.findChildren(QDockWidget)), len(window.findChildren(QWidget)))


def rows_for(widgets: int) -> int:
    """Form rows that give the reference window ``widgets`` widgets (a spin box is several)."""
    rows = 0
    while True:
        window = reference_window(rows + 1)
        more = counts(window)[3] > widgets
        window.deleteLater()
        if more:
            return rows
        rows += 1


def one(app, make) -> tuple[float, float, float]:
    """CPU seconds to make, show (its events handled) and close (deleted) one window."""
    from PySide6.QtCore import QCoreApplication, QEvent

    start = time.process_time()
    window = make()
    made = time.process_time()
    window.resize(1000, 760)
    window.show()
    app.processEvents()
    app.processEvents()
    shown = time.process_time()
    if hasattr(window, "edit_actions"):
        window.edit_actions.close_case()
    window.close()
    window.deleteLater()
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    return made - start, shown - made, time.process_time() - shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NEUROVIEW_HOME"] = tempfile.mkdtemp(prefix="window-start-")   # no user's settings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from neuroview.ui.main_window import MainWindow

    rows = rows_for(WIDGETS)
    makers = {"neuroview MainWindow": MainWindow, "reference QMainWindow": lambda: reference_window(rows)}
    for name, make in makers.items():   # first windows: caches, fonts, the style
        window = make()
        print(f"{name:24} menus, actions, docks, widgets: {counts(window)}")
        window.deleteLater()
        for _ in range(2):
            one(app, make)
    runs: dict[str, list] = {name: [] for name in makers}
    for _ in range(args.repeats):   # alternating: a burst of load elsewhere hits both alike
        for name, make in makers.items():
            runs[name].append(one(app, make))
    print(f"{args.repeats} windows each, medians of CPU ms (user + system of this process)")
    print(f"{'':24} {'make':>7} {'show':>7} {'close':>7} {'whole':>7}")
    whole = {}
    for name, times in runs.items():
        parts = [1000 * statistics.median(t[i] for t in times) for i in range(3)]
        whole[name] = 1000 * statistics.median(sum(t) for t in times)
        print(f"{name:24} {parts[0]:7.1f} {parts[1]:7.1f} {parts[2]:7.1f} {whole[name]:7.1f}")
    ratio = whole["neuroview MainWindow"] / whole["reference QMainWindow"]
    print(f"neuroview / reference: {ratio:.2f}x")


if __name__ == "__main__":
    main()
