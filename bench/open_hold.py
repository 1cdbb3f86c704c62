"""Benchmark: how long opening an image holds the window's GUI thread, against the time to load it.

An event-loop probe (a QTimer every 10 ms recording the gaps between its calls, as a user feels a
frozen window) runs while the main window (1400x900, four-up, the 3D view shown) opens a NIfTI
file with ``open_paths``, until the 3D view has drawn the new image and the window is idle. The
longest gap is the hold; the load is the time from ``open_paths`` to the image in the
controller (reading the file, off the GUI thread). Also printed: where the GUI thread spent its
time in the 3D view's set-up (``View3DWidget`` and ``Scene3D`` steps, wall time on the GUI thread).

The file: the MNI152 T1 resampled to ``--size``^3 (1 mm at 197x233x189 by default: the bundled
demo image) as float32, so the 3D view's set-up works on a realistic head.

Run (needs a display): xvfb-run -a python bench/open_hold.py [--size 0] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
REPO = Path(__file__).resolve().parent.parent


def _image(folder: Path, size: int) -> Path:
    import nibabel as nib
    from scipy import ndimage

    mni = nib.load(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    data = np.asarray(mni.dataobj, dtype=np.float32)
    affine = mni.affine.copy()
    if size:
        zoom = np.full(3, size) / np.asarray(data.shape)
        data = ndimage.zoom(data, zoom, order=1).astype(np.float32)
        affine[:3, :3] = affine[:3, :3] / zoom
    path = folder / "head.nii.gz"
    nib.save(nib.Nifti1Image(data, affine), path)
    return path


def _timed(spent: dict, owner, name: str, label: str) -> None:
    """Wrap ``owner.name`` to add its wall time on the GUI thread to ``spent[label]``."""
    import threading

    real = getattr(owner, name)

    def wrapper(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            return real(*args, **kwargs)
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            took = time.perf_counter() - start
            spent[label] += took
            spent[label + " (longest call)"] = max(spent[label + " (longest call)"], took)

    setattr(owner, name, wrapper)


class Probe:
    """A QTimer every 10 ms recording the gaps between its calls (the GUI thread's holds)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    def start(self) -> None:
        self.gaps.clear()
        self.last = time.perf_counter()
        self.timer.start()


def _wait(app, condition, seconds: float = 120.0) -> None:
    end = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def open_once(app, window, path: Path, probe: Probe) -> tuple[float, float]:
    """Open ``path`` as File > Open does: (longest gap of the probe, seconds until the image is in
    the controller); returns once the 3D view has drawn it and no job runs."""
    rendered: list[float] = []
    window.view3d.rendered.connect(lambda: rendered.append(time.perf_counter()))
    previous = window.controller.volume
    probe.start()
    start = time.perf_counter()
    window.open_paths([str(path)])
    _wait(app, lambda: window.controller.volume is not None and window.controller.volume is not previous)
    loaded = time.perf_counter() - start
    _wait(app, lambda: window.view3d._scene_volume is window.controller.volume and bool(rendered)
          and not window.runner.busy)
    settle = time.perf_counter() + 0.5
    _wait(app, lambda: time.perf_counter() > settle)
    probe.timer.stop()
    window.view3d.rendered.disconnect()
    return max(probe.gaps), loaded


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=0, help="resample the MNI head to SIZE^3 (0: 1 mm)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="nv-home-"))
    from PySide6.QtWidgets import QApplication

    from neuroview.render import prepare3d, volume3d
    from neuroview.ui import view3d_widget
    from neuroview.ui.main_window import MainWindow

    spent: dict[str, float] = defaultdict(float)
    for name in ("_load_volume", "_render"):
        _timed(spent, view3d_widget.View3DWidget, name, f"View3DWidget.{name}")
    for name in ("set_volume", "show_volume_data", "_build_planes", "reset_camera"):
        if hasattr(volume3d.Scene3D, name):   # show_volume_data: since the set-up is in a worker
            _timed(spent, volume3d.Scene3D, name, f"Scene3D.{name}")
    _timed(spent, prepare3d, "subsample", "prepare3d.subsample")
    _timed(spent, view3d_widget, "is_ct", "is_ct")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    folder = Path(tempfile.mkdtemp(prefix="nv-open-hold-"))
    path = _image(folder, args.size)
    probe = Probe()
    holds, loads, breakdown = [], [], defaultdict(list)
    for repeat in range(args.repeats + 1):   # the first: imports and VTK's start-up, not counted
        spent.clear()
        hold, loaded = open_once(app, window, path, probe)
        if repeat:
            holds.append(hold)
            loads.append(loaded)
            for label, seconds in spent.items():
                breakdown[label].append(seconds)
    hold, load = float(np.median(holds)), float(np.median(loads))
    shape = "x".join(str(n) for n in window.controller.volume.shape[:3])
    print(f"{shape} float32 NIfTI, median of {args.repeats}")
    print(f"longest GUI-thread hold {1000 * hold:.0f} ms, load {1000 * load:.0f} ms: "
          f"hold / load {hold / load:.2f}")
    for label in sorted(breakdown, key=lambda k: -np.median(breakdown[k])):
        print(f"  {label}: {1000 * float(np.median(breakdown[label])):.0f} ms on the GUI thread")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
