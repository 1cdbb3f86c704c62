"""Benchmark: how long keys pressed while the 3D view draws a new image's first frame wait.

The main window (1400x900, four-up) opens the demo image (``resources/demo/mni152_t1_lesions.nii.gz``,
as ``neuroview demo``); the moment its first 3D frame is being drawn, three keys are pressed over
the axial view through the X server (XTest, as a keyboard would): Up (the next slice), 0 (the
*Auto* window/level preset) and F3 (the Ruler tool). Printed per key: the time from the press to
its handling (the slice view's key event, the preset's and the tool's action), and how long the
frame went on after the press.

``before``: the frame's event pump as before session 37 (``processEvents`` without user input:
every key waits for the frame); ``now``: :mod:`neuroview.ui.frame_input` (those keys handled at
once). The two alternate in one run; medians of each and their ratio.

Run (needs Xvfb): xvfb-run -a -s "-screen 0 1920x1080x24" python bench/keys_during_frame.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
REPO = Path(__file__).resolve().parent.parent
KEYS = (("Up", "Up"), ("0", "0"), ("F3", "F3"))   # (name, X keysym name)


class FakeKeyboard:
    """Key presses through the X server (libXtst), as a keyboard's."""

    def __init__(self) -> None:
        self.x11 = ctypes.cdll.LoadLibrary("libX11.so.6")
        self.xtst = ctypes.cdll.LoadLibrary("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        for name in ("XTestFakeKeyEvent", "XTestFakeMotionEvent"):
            getattr(self.xtst, name).argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                 ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.display = self.x11.XOpenDisplay(None)
        if not self.display:
            raise SystemExit("no X display: run under xvfb-run")

    def move(self, x: int, y: int) -> None:
        self.xtst.XTestFakeMotionEvent(self.display, -1, x, y, 0)
        self.x11.XFlush(self.display)

    def click(self, keysym: str) -> None:
        code = self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(keysym.encode()))
        self.xtst.XTestFakeKeyEvent(self.display, code, True, 0)
        self.xtst.XTestFakeKeyEvent(self.display, code, False, 0)
        self.x11.XFlush(self.display)


def old_pump(view3d) -> None:
    """The frame's event pump before session 37: no user input (every key waits)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    if view3d.rgb is None:
        view3d.update()
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def one_open(app, window, keyboard, path: Path, before: bool) -> dict:
    from PySide6.QtCore import QEvent, QObject, QTimer

    view3d, axial = window.view3d, window.slice_views["axial"]
    pump = (lambda: old_pump(view3d)) if before else type(view3d)._handle_events.__get__(view3d)
    view3d._handle_events = pump   # the scene made at the first open takes it then
    if view3d.scene is not None:
        view3d.scene.during_frame = pump
    handled: dict[str, float] = {}
    sent: list[float] = []
    frame_end: list[float] = []

    class UpSeen(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.KeyPress and event.key() == 0x01000013 and "Up" not in handled:
                handled["Up"] = time.perf_counter()
            return False

    seen = UpSeen()
    axial.installEventFilter(seen)
    from neuroview.app.view_presets import AUTO

    preset = window.preset_actions[AUTO]
    ruler = window.mode_actions["ruler"]

    def on_preset(*_):
        handled.setdefault("0", time.perf_counter())

    def on_ruler(*_):
        handled.setdefault("F3", time.perf_counter())

    preset.triggered.connect(on_preset)
    ruler.triggered.connect(on_ruler)

    def tick():
        scene = view3d.scene
        if not sent and scene is not None and scene.rendering and view3d.rgb is None:
            sent.append(time.perf_counter())
            for _name, keysym in KEYS:
                keyboard.click(keysym)
        if sent and not frame_end and view3d.rgb is not None:
            frame_end.append(time.perf_counter())

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(tick)
    timer.start()
    window.mode_actions["navigate"].trigger()
    window.open_paths([path])
    end = time.perf_counter() + 60
    while time.perf_counter() < end and not (sent and frame_end and len(handled) == len(KEYS)):
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    axial.removeEventFilter(seen)
    ruler.triggered.disconnect(on_ruler)
    preset.triggered.disconnect(on_preset)
    if not sent:
        return {}
    row = {name: (handled[name] - sent[0]) * 1000 for name, _ in KEYS if name in handled}
    row["frame"] = ((frame_end[0] if frame_end else float("nan")) - sent[0]) * 1000
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from neuroview.ui.main_window import MainWindow

    path = REPO / "resources" / "demo" / "mni152_t1_lesions.nii.gz"
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.activateWindow()
    keyboard = FakeKeyboard()
    for _ in range(50):
        app.processEvents()
        time.sleep(0.01)
    axial = window.slice_views["axial"]
    centre = axial.mapToGlobal(axial.rect().center())
    keyboard.move(centre.x(), centre.y())
    rows: dict[str, list[dict]] = {"before": [], "now": []}
    for n in range(args.repeats * 2):
        mode = ("before", "now")[n % 2]
        axial.setFocus()
        row = one_open(app, window, keyboard, path, mode == "before")
        if row:
            rows[mode].append(row)
            print(mode, " ".join(f"{k} {v:.0f} ms" for k, v in row.items()), flush=True)
        else:
            print(mode, "no first frame seen", flush=True)
    load = os.getloadavg()[0]
    print(f"medians (load {load:.1f}):")
    for name in [k for k, _ in KEYS] + ["frame"]:
        medians = [statistics.median(r[name] for r in rows[m] if name in r) if any(name in r for r in rows[m])
                   else float("nan") for m in ("before", "now")]
        print(f"  {name:5s} before {medians[0]:6.0f} ms   now {medians[1]:6.0f} ms   "
              f"ratio now/before {medians[1] / medians[0]:.2f}")
    window.view3d.release()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
