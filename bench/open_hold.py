"""Benchmark: how long opening an image holds the window's GUI thread, against the time to load it.

An event-loop probe (a QTimer every 10 ms recording the gaps between its calls, as a user feels a
frozen window) runs while the main window (1400x900, four-up, the 3D view shown) opens a NIfTI
file with ``open_paths``, until the 3D view has drawn the new image and the window is idle. The
longest gap is the hold; the load is the time from ``open_paths`` to the image in the
controller (reading the file, off the GUI thread). Also printed: where the GUI thread spent its
time in the 3D view's set-up (``View3DWidget`` and ``Scene3D`` steps, wall time on the GUI thread),
and the time from the image in the controller to the 3D view's first frame of it (its quick look,
``QUICK_LOOK_DIM``) and to its first frame at full resolution (as first / load).

The file: the MNI152 T1 resampled to ``--size``^3 (1 mm at 197x233x189 by default: the bundled
demo image) as float32, so the 3D view's set-up works on a realistic head; with ``--ct``, a
512x512x600 int16 CT (0.7 x 0.7 x 0.6 mm) of a body: soft tissue with noise, lungs, spine, ribs
in air, as an uncompressed .nii (300 MB).

``--compare`` opens it alternately as before session 36 (the GUI thread handles no event while
the 3D view draws a frame) and as now (``View3DWidget._handle_events`` every 50 ms or so of a
frame): the medians of each, and their ratio, measured in the same run.

Run (needs a display): xvfb-run -a python bench/open_hold.py [--size 0 | --ct] [--compare] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def _ct(folder: Path) -> Path:
    """A 512x512x600 body CT in HU (int16): a body of soft tissue (40 HU, noise of 15 HU), two
    lungs (-850), a spine (700), ribs (900) every 24 mm, air (-1000) around."""
    import nibabel as nib

    shape = (512, 512, 600)
    x = (np.arange(shape[0]) - shape[0] / 2)[:, None]
    y = (np.arange(shape[1]) - shape[1] / 2)[None, :]
    body = (x / 200) ** 2 + (y / 150) ** 2 < 1
    lungs = ((np.abs(x) - 90) / 60) ** 2 + ((y - 10) / 80) ** 2 < 1
    ribs = body & ((x / 185) ** 2 + (y / 135) ** 2 >= 1)
    plane = np.full(shape[:2], -1000, np.int16)
    plane[body], plane[lungs] = 40, -850
    plane[(x / 25) ** 2 + ((y + 100) / 25) ** 2 < 1] = 700
    noise = np.random.default_rng(0).normal(0, 15, shape[:2]).astype(np.int16)
    data = np.empty(shape, np.int16)
    for k in range(shape[2]):
        data[:, :, k] = np.where(ribs & (k % 40 < 8), 900, plane) + np.roll(noise, 7 * k, axis=0)
    affine = np.diag([0.7, 0.7, 0.6, 1.0])
    affine[:3, 3] = -0.5 * np.array([0.7, 0.7, 0.6]) * np.array(shape)
    path = folder / "ct.nii"
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


def shown_with(path: Path):
    """``(app, window)``: the main window at 1920x1080 with ``path`` open, loaded and idle."""
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1920, 1080)
    window.show()
    window.open_paths([str(path)])
    _wait(app, lambda: window.controller.volume is not None and not window.runner.busy)
    return app, window


def open_once(app, window, path: Path, probe: Probe) -> tuple:
    """Open ``path`` as File > Open does: (longest gap of the probe, seconds until the image is in
    the controller, seconds from then to the 3D view's first frame of it, and to its first frame
    at full resolution, seconds from then to the last slice view's first paint of it, and to the
    3D set-up's start); returns once the 3D view has drawn it and no job runs."""
    rendered: list[float] = []
    full: list[float] = []   # frames of the full volume rendering (after a quick look, if any)

    def frame() -> None:
        rendered.append(time.perf_counter())
        if window.view3d.shows_open_image and not window.view3d.quick_look:
            full.append(rendered[-1])

    window.view3d.rendered.connect(frame)
    previous = window.controller.volume
    probe.start()
    PAINTS.clear()
    window.controller.volume_changed.connect(arrived)
    start = time.perf_counter()
    window.open_paths([str(path)])
    _wait(app, lambda: window.controller.volume is not None and window.controller.volume is not previous)
    window.controller.volume_changed.disconnect(arrived)
    loaded_at = time.perf_counter()
    loaded = loaded_at - start
    rendered.clear()   # the image before's
    full.clear()
    _wait(app, lambda: window.view3d._scene_volume is window.controller.volume and bool(full)
          and not window.runner.busy)
    settle = time.perf_counter() + 0.5
    _wait(app, lambda: time.perf_counter() > settle)
    probe.timer.stop()
    window.view3d.rendered.disconnect(frame)
    visible = [v for v in window.slice_views.values() if v.isVisible()]
    return (max(probe.gaps), loaded, rendered[0] - loaded_at, full[0] - loaded_at,
            _since_arrival(visible), _since_arrival(["3d set-up"]))


def _since_arrival(keys) -> float | None:
    """Seconds from the image's arrival to the last of ``keys`` in :data:`PAINTS`; None where one
    is not there (``main`` stamps them, another bench calling :func:`open_once` need not)."""
    times = [PAINTS.get(key) for key in keys]
    return None if None in times or "arrived" not in PAINTS else max(times) - PAINTS["arrived"]


PAINTS: dict = {}
"""When the image arrived (``volume_changed``), each slice view's first paint since, and the 3D
view's set-up began (its worker started: ``View3DWidget._prepare``)."""


def arrived() -> None:
    PAINTS["arrived"] = time.perf_counter()


def _stamped(owner, name: str, key) -> None:
    """Wrap ``owner.name`` to note in :data:`PAINTS` when its first call since the image arrived
    ended, under ``key(self)``."""
    real = getattr(owner, name)

    def wrapper(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        if "arrived" in PAINTS:
            PAINTS.setdefault(key(self), time.perf_counter())
        return result

    setattr(owner, name, wrapper)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=0, help="resample the MNI head to SIZE^3 (0: 1 mm)")
    parser.add_argument("--ct", action="store_true", help="a 512x512x600 CT instead of the head")
    parser.add_argument("--compare", action="store_true",
                        help="also open it as before session 36 (no events handled during a frame)")
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
    _timed(spent, prepare3d, "block_mean", "prepare3d.block_mean (in a worker)")
    _timed(spent, view3d_widget, "preset_for", "preset_for (as the image opens)")
    from neuroview.ui.slice_widget import SliceViewWidget

    _stamped(SliceViewWidget, "paintEvent", lambda view: view)
    _stamped(view3d_widget.View3DWidget, "_prepare", lambda view: "3d set-up")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    folder = Path(tempfile.mkdtemp(prefix="nv-open-hold-"))
    path = _ct(folder) if args.ct else _image(folder, args.size)
    twin = folder / f"again-{path.name}"   # opened in turn: the same file again drew no new 3D frame
    shutil.copyfile(path, twin)
    probe = Probe()
    holds, loads, breakdown, firsts, fulls, paints, setups = [], [], defaultdict(list), [], [], [], []
    before: list[float] = []
    for repeat in range(args.repeats + 1):   # the first: imports and VTK's start-up, not counted
        if args.compare and repeat:   # the same file opened as before, in turn with each repeat
            window.view3d.scene.during_frame = None
            before.append(open_once(app, window, twin, probe)[0])
            window.view3d.scene.during_frame = window.view3d._handle_events
        spent.clear()
        hold, loaded, first, whole, painted, setup = open_once(app, window, (path, twin)[repeat % 2],
                                                               probe)
        if repeat:
            paints.append(painted)
            setups.append(setup)
            holds.append(hold)
            loads.append(loaded)
            firsts.append(first)
            fulls.append(whole)
            for label, seconds in spent.items():
                breakdown[label].append(seconds)
    hold, load = float(np.median(holds)), float(np.median(loads))
    volume = window.controller.volume
    shape = "x".join(str(n) for n in volume.shape[:3])
    print(f"{shape} {volume.array.dtype} NIfTI, median of {args.repeats}, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"longest GUI-thread hold {1000 * hold:.0f} ms, load {1000 * load:.0f} ms: "
          f"hold / load {hold / load:.2f}")
    first, whole = float(np.median(firsts)), float(np.median(fulls))
    print(f"first 3D frame {1000 * first:.0f} ms after the load (first / load {first / load:.2f}; "
          f"each: {', '.join(f'{1000 * f:.0f}' for f in firsts)}), full resolution "
          f"{1000 * whole:.0f} ms (each: {', '.join(f'{1000 * f:.0f}' for f in fulls)})")
    painted = float(np.median(paints))
    print(f"slice views' first paint {1000 * painted:.0f} ms after the image arrived (each: "
          f"{', '.join(f'{1000 * p:.0f}' for p in paints)}); the 3D set-up began after "
          f"{', '.join(f'{1000 * s:.0f}' for s in setups)} ms")
    if before:
        print(f"as before session 36 (no events during a frame): longest hold "
              f"{1000 * float(np.median(before)):.0f} ms; now / before "
              f"{hold / float(np.median(before)):.2f} (each: {', '.join(f'{1000 * b:.0f}' for b in before)} "
              f"before; {', '.join(f'{1000 * h:.0f}' for h in holds)} now)")
    for label in sorted(breakdown, key=lambda k: -np.median(breakdown[k])):
        print(f"  {label}: {1000 * float(np.median(breakdown[label])):.0f} ms on the GUI thread")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
