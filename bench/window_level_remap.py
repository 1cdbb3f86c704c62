"""Time a window/level drag step in three slice views against a raw numpy remap of the same planes.

    .venv/bin/python bench/window_level_remap.py [--repeats 5] [--steps 20] [--code DIR]

A 256x256x180 MR and a 512x512x300 CT (int16, linear interpolation), and the MR again under an
oblique overlay series (*View > Other series > Overlay series*: 256x256x60 float32 at 0.9 x 0.9 x
3.5 mm, turned
12 and 20 degrees, opacity 0.5, as ``bench/overlay.py``'s); three views of 512x512
pixels (axial, sagittal, coronal; Qt offscreen unless DISPLAY is set). Each W/L step moves the
window and level by 4 pixels' worth of drag (``drag_window_level``, as a drag does) and repaints
the three views. Printed per image, medians of ``--repeats`` rounds of ``--steps`` steps:

- ``W/L step``: what the screen does at each drag step;
- ``W/L step, views invalidated``: the same with each view told to draw all anew first (the
  volume sampled at every step, as every W/L step did up to session 42);
- ``overlay W/L step`` (the overlay case): the overlay's window and level moved instead (its
  Display panel row), the three views repainted;
- ``reference``: one raw numpy window/level (subtract, scale, clip, cast to uint8) of the three
  planes' values, sampled once beforehand.

Each is given in wall-clock and in CPU time (``time.process_time``), with its ratio to the
reference's.

``--code DIR``: time the neuroview checkout in DIR (e.g. ``/work/main``, before the change) with
this same script; default: the checkout this script is in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

VIEW = 512
IMAGES = {   # name: shape, spacing (mm), value range
    "MR 256x256x180": ((256, 256, 180), (0.94, 0.94, 1.0), (0, 1200)),
    "CT 512x512x300": ((512, 512, 300), (0.45, 0.45, 0.625), (-1000, 1500)),
    "MR + oblique overlay": ((256, 256, 180), (0.94, 0.94, 1.0), (0, 1200)),
}


def _image(shape, low, high) -> np.ndarray:
    """int16 values with structure (a smooth ramp plus noise), made slice by slice."""
    rng = np.random.default_rng(0)
    array = np.empty(shape, np.int16)
    ramp = np.add.outer(np.linspace(0, 1, shape[0]), np.linspace(0, 1, shape[1])) / 2
    for k in range(shape[2]):
        noise = rng.random(shape[:2], dtype=np.float32)
        array[:, :, k] = (low + (high - low) * (0.7 * ramp + 0.3 * noise)).astype(np.int16)
    return array


def _remap(values: np.ndarray, window: float, level: float) -> np.ndarray:
    low, scale = np.float32(level - window / 2), np.float32(255.0 / window)
    return np.clip((values - low) * scale, 0, 255).astype(np.uint8)


def _median_step(step, steps: int, repeats: int) -> tuple[float, float]:
    """Median seconds a step, of the wall clock and of the process's CPU time (less swayed by
    the other processes on a loaded machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        for i in range(steps):
            step(i)
        wall.append((time.perf_counter() - start) / steps)
        cpu.append((time.process_time() - start_cpu) / steps)
    return statistics.median(wall), statistics.median(cpu)


def time_image(name: str, args) -> dict:
    from neuroview.app.fusion import FusionLayer
    from neuroview.core.volume import Volume
    from neuroview.render.sampling import sample_plane
    from neuroview.ui.controller import ViewerController
    from neuroview.ui.slice_widget import SliceViewWidget

    shape, spacing, (low, high) = IMAGES[name]
    volume = Volume(_image(shape, low, high), np.diag([*spacing, 1.0]),
                    modality="CT" if name.startswith("CT") else "MR")
    c = ViewerController()
    c.set_volume(volume)
    overlay = "overlay" in name
    if overlay:
        from overlay import overlay_volume  # bench/overlay.py's oblique FLAIR

        c.state.fusion = FusionLayer.for_volume(overlay_volume(oblique=True))
    views = [SliceViewWidget(plane, c) for plane in ("axial", "sagittal", "coronal")]
    from PySide6.QtTest import QTest

    for view in views:
        view.resize(VIEW, VIEW)
        view.show()
        QTest.qWaitForWindowExposed(view)
        view.repaint()
    if any(view.last is None for view in views):
        raise SystemExit("the views did not paint (no screen?)")
    gain = c.wl_sensitivity()

    def wl_step(i) -> None:   # right, down, left, up...: the window stays near where it began
        move = 4 if i % 4 < 2 else -4
        c.state.drag_window_level(move, move, gain)
        c.changed.emit()
        for view in views:
            view.repaint()

    def invalidated(i) -> None:
        for view in views:
            view.invalidate()
        wl_step(i)

    planes = [sample_plane(volume.array, volume.ras_to_ijk, c.state.geometry(view.plane, VIEW, VIEW),
                           order=1)[0] for view in views]

    def reference(i) -> None:
        window, level = c.state.window * (1 + 0.01 * (i % 2)), c.state.level
        for values in planes:
            _remap(values, window, level)

    def overlay_step(i) -> None:   # the overlay's window wider, narrower...; its level up, down
        layer, move = c.state.fusion, 1 if i % 4 < 2 else -1
        layer.window, layer.level = layer.window * (1 + 0.02 * move), layer.level + 4 * move
        c.changed.emit()
        for view in views:
            view.repaint()

    result = {"W/L step": _median_step(wl_step, args.steps, args.repeats),
              "W/L step, views invalidated": _median_step(invalidated, args.steps, args.repeats)}
    if overlay:
        result["overlay W/L step"] = _median_step(overlay_step, args.steps, args.repeats)
    result["reference"] = _median_step(reference, args.steps, args.repeats)
    for view in views:
        view.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.code).resolve()))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    import neuroview

    print(f"code {Path(neuroview.__file__).resolve().parent.parent}; three {VIEW}x{VIEW} views; "
          f"median of {args.repeats} rounds of {args.steps} steps; load {os.getloadavg()[0]:.1f}")
    for name in IMAGES:
        times = time_image(name, args)
        app.processEvents()
        (base, base_cpu) = times["reference"]
        for step, (wall, cpu) in times.items():
            print(f"{name}  {step:28s} {wall * 1000:7.2f} ms {wall / base:6.2f}x the reference;"
                  f"  CPU {cpu * 1000:7.2f} ms {cpu / base_cpu:6.2f}x")
    print(f"load {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
