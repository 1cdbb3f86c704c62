"""Cost of a thick-slab slice view (MIP, mean) against the thin slice, same run, while scrolling.

    python bench/slab.py [--repeats 15] [--thickness 10]

A 512x512x300 int16 CT at 0.45 x 0.45 x 0.625 mm (a CT angiogram's grid), 512x512 views,
``render_slice`` (reslice + window/level) of each plane one slice further at every repeat (as a
wheel step redraws it), thin, MIP and mean interleaved so that the load of the shared machine
falls on all three alike. "oblique" is the axial view of the same CT stored with a 15-degree
tilt (interpolated planes one voxel apart through the slab). Prints medians and ratios.

Then the oblique MIP in the window's slice view (offscreen Qt), scrolled by the wheel at 25 steps
a second: each step's repaint (the thin slice while moving), how long after the last step the full
slab is shown, and the event loop's longest stall (between ticks of a 5 ms timer) while the slab
is computed off the GUI thread, against the stall when the full slab is drawn on the GUI thread
(what the view did once still until session 37: the window answered nothing meanwhile).

``--three-only``: M on three oblique views (the CT tilted about two axes), the slabs computed by a
worker per view against one worker the views share (see :func:`three_views`).

``--grid-only``: an oblique slab computed on its plane's grid at the voxels' spacing below a
budget of grid points (1024 x 1024) against at most 512 points a side (``render.slab.GRID_MAX``):
ms and peak memory of computing it and drawing it on a 512x512 view (see :func:`grid_rules`).

``--active-only``: while the three views' slabs are asked, the user scrolls one of them: how long
until its slab is drawn with the worker serving the active view first against in order of request
(see :func:`active_first`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.view_slab import Slab  # noqa: E402
from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.render.slices import render_slice  # noqa: E402


def tilted(affine: np.ndarray, degrees: float, axis: int = 0) -> np.ndarray:
    """``affine`` turned by ``degrees`` about the R-L axis (``axis`` 0) or the S-I one (2)."""
    a, (i, j) = np.radians(degrees), [n for n in range(3) if n != axis]
    rotation = np.eye(3)
    rotation[[i, i, j, j], [i, j, i, j]] = np.cos(a), -np.sin(a), np.sin(a), np.cos(a)
    out = affine.copy()
    out[:3, :3] = rotation @ affine[:3, :3]
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--thickness", type=float, default=10.0)
    parser.add_argument("--window-steps", type=int, default=5)
    parser.add_argument("--window-rounds", type=int, default=3)
    parser.add_argument("--three-rounds", type=int, default=3)
    parser.add_argument("--three-only", action="store_true", help="only M on three oblique views")
    parser.add_argument("--grid-only", action="store_true",
                        help="only the oblique slab's grid: points by memory against 512 a side")
    parser.add_argument("--active-only", action="store_true",
                        help="only the active view's slab against the other views' requests")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    array = rng.integers(-1000, 1500, (512, 512, 300), dtype=np.int16)
    affine = np.diag([0.45, 0.45, 0.625, 1.0])
    cases = [(plane, Volume(array, affine, modality="CT")) for plane in ("axial", "sagittal", "coronal")]
    cases.append(("oblique", Volume(array, tilted(affine, 15.0), modality="CT")))
    twice = Volume(array, tilted(tilted(affine, 15.0), 10.0, axis=2), modality="CT")  # 3 oblique
    if args.three_only:
        three_views(twice, Slab(args.thickness, "max"), args.three_rounds)
        return 0
    if args.grid_only:
        wide = Volume(rng.integers(-1000, 1500, (667, 667, 160), dtype=np.int16),
                      tilted(np.diag([0.45, 0.45, 1.0, 1.0]), 15.0), modality="CT")
        grid_rules([("oblique axial", cases[-1][1], "axial"), ("twice coronal", twice, "coronal"),
                    ("300 mm axial", wide, "axial")], Slab(args.thickness, "max"), args.repeats)
        return 0
    if args.active_only:
        active_first(twice, Slab(args.thickness, "max"), args.three_rounds)
        return 0
    modes = {"thin": None, "MIP": Slab(args.thickness, "max"), "mean": Slab(args.thickness, "mean")}
    print(f"CT {array.shape} int16, 0.45x0.45x0.625 mm, 512x512 views, {args.thickness:g} mm slab, "
          f"{args.repeats} repeats, load {os.getloadavg()[0]:.1f}")
    print(f"{'view':<9}" + "".join(f"{m + ' ms':>10}" for m in modes) + f"{'MIP/thin':>10}{'mean/thin':>10}")
    for name, volume in cases:
        state = ViewerState.for_volume(volume)
        plane = "axial" if name == "oblique" else name
        times = {m: [] for m in modes}
        for _ in range(args.repeats):
            state.scroll(plane, 1)
            geom = state.geometry(plane, 512, 512)
            for mode, slab in modes.items():
                t = time.perf_counter()
                render_slice(volume, geom, 400.0, 40.0, slab=slab)
                times[mode].append((time.perf_counter() - t) * 1000)
        med = {m: float(np.median(v)) for m, v in times.items()}
        print(f"{name:<9}" + "".join(f"{med[m]:>10.1f}" for m in modes)
              + f"{med['MIP'] / med['thin']:>10.1f}{med['mean'] / med['thin']:>10.1f}")
    window_scroll(cases[-1][1], Slab(args.thickness, "max"), args.window_steps, args.window_rounds)
    three_views(twice, Slab(args.thickness, "max"), args.three_rounds)
    active_first(twice, Slab(args.thickness, "max"), args.three_rounds)
    print(f"load after {os.getloadavg()[0]:.1f}")
    return 0


def window_scroll(volume, slab, steps: int, rounds: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.controller import ViewerController
    from neuroview.ui.slice_widget import SliceViewWidget

    app = QApplication.instance() or QApplication([])
    controller = ViewerController()
    controller.set_volume(volume)
    view = SliceViewWidget("axial", controller)
    view.resize(512, 512)
    view.show()
    controller.set_slab(slab, "axial")
    ticks: list[float] = []
    ticker = QTimer()                # the event loop's pulse: a 5 ms timer, its ticks recorded
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def settle() -> tuple[float, float]:
        """(ms until the view shows the full slab, the event loop's longest stall meanwhile)."""
        start = time.perf_counter()
        ticks[:] = [start]
        ticker.start()
        while view.thin_shown or view.last is None:
            app.processEvents()
            time.sleep(0.002)
        ticker.stop()
        return (time.perf_counter() - start) * 1000, 1000 * float(np.diff(ticks).max())

    view.repaint()
    settle()
    moving, afters, stalls, gui_stalls = [], [], [], []
    for _ in range(rounds):
        for _ in range(steps):
            start = time.perf_counter()
            controller.scroll("axial", 1)
            view.repaint()
            moving.append((time.perf_counter() - start) * 1000)
            assert view.thin_shown, "a wheel step drew the full slab"
            pause = time.perf_counter() + 0.04      # the next wheel step 40 ms later
            while time.perf_counter() < pause:
                app.processEvents()
        after, stall = settle()
        afters.append(after)
        stalls.append(stall)
    for _ in range(rounds):  # reference: the full slab drawn on the GUI thread, as the view
        controller.scroll("axial", 1)           # drew it once still until session 37
        start = time.perf_counter()
        ticks[:] = [start]
        ticker.start()
        QTimer.singleShot(0, lambda: view.render(overlays=False))
        while time.perf_counter() - start < 0.05 or len(ticks) < 3:
            app.processEvents()
            time.sleep(0.002)
        ticker.stop()
        gui_stalls.append(1000 * float(np.diff(ticks).max()))
    view.slab.job.runner.wait()
    m, a = float(np.median(moving)), float(np.median(afters))
    s, g = float(np.median(stalls)), float(np.median(gui_stalls))
    print(f"window, oblique {slab.title()}, {rounds} x {steps} wheel steps 40 ms apart: a step "
          f"repaints in {m:.0f} ms (thin); the full slab shown {a:.0f} ms after the last step, "
          f"computed off the GUI thread: the event loop's longest stall meanwhile {s:.0f} ms, "
          f"against {g:.0f} ms with the slab drawn on the GUI thread ({s / g:.3f}x; medians)")

def grid_rules(cases, slab, repeats: int) -> None:
    """Each case's oblique slab (one slice further each repeat) computed on a grid at the
    voxels' spacing unless it has more than 1024 x 1024 points against the grid of
    ``render.slab.grid_spacing`` (at most 512 points a side), interleaved; then drawn on a
    512x512 view (``slab_onto``). Medians of ms and of the computation's peak traced memory."""
    import tracemalloc

    from neuroview.render import slab as render_slab

    by_side = render_slab.grid_spacing
    rules = {"points": lambda voxel, extent: max(voxel, float(np.sqrt(np.prod(extent) / 2**20))),
             "side 512": by_side}
    print(f"oblique {slab.title()} grid: at most 1024 x 1024 points against 512 a side, "
          f"{repeats} repeats, load {os.getloadavg()[0]:.1f}")
    for name, volume, plane in cases:
        state, image = ViewerState.for_volume(volume), volume.frame(0)
        step = float(1.0 / np.max(np.abs(volume.ras_to_ijk[:3, :3] @ state.geometry(
            plane, 512, 512).normal)))
        times, peaks, grids = {r: [] for r in rules}, {r: [] for r in rules}, {}
        for _ in range(repeats):
            state.scroll(plane, 1)
            view = state.geometry(plane, 512, 512)
            for rule, spacing in rules.items():
                render_slab.grid_spacing = spacing
                try:
                    grid = render_slab.slab_grid(volume.shape, volume.ras_to_ijk, view)
                finally:
                    render_slab.grid_spacing = by_side
                grids[rule] = grid
                tracemalloc.start()
                t = time.perf_counter()
                values = render_slab._oblique(image, volume.ras_to_ijk, grid, slab.thickness_mm,
                                              slab.mode, step)
                render_slab.slab_onto(values, grid, view)
                times[rule].append((time.perf_counter() - t) * 1000)
                peaks[rule].append(tracemalloc.get_traced_memory()[1] / 2**20)
                tracemalloc.stop()
        med = {r: float(np.median(times[r])) for r in rules}
        print(f"{name:<14}" + "".join(
            f"  {r}: {grids[r].width}x{grids[r].height} at {np.linalg.norm(grids[r].col_ras):.2f} mm "
            f"{med[r]:.0f} ms {float(np.median(peaks[r])):.0f} MB" for r in rules)
            + f"  ratio {med['points'] / med['side 512']:.2f}")
    print(f"load after {os.getloadavg()[0]:.1f}")


def three_views(volume, slab, rounds: int) -> None:
    """M on three oblique views: each view's slab on a worker of its own (three slabs at once on
    the machine's cores) against one worker the three share (served one after another), rounds
    interleaved: ms until the first and until all three slabs are drawn, the event loop's longest
    stall meanwhile."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.controller import ViewerController
    from neuroview.ui.slab_job import SlabWorker
    from neuroview.ui.slice_widget import SliceViewWidget

    app = QApplication.instance() or QApplication([])
    controller = ViewerController()
    controller.set_volume(volume)
    views = [SliceViewWidget(plane, controller) for plane in ("axial", "sagittal", "coronal")]
    for view in views:
        view.resize(512, 512)
        view.show()
    app.processEvents()   # shown: painted from now on
    shared = SlabWorker(None)
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    results = {"own": [], "shared": []}
    controller.set_slab(slab)
    for _ in range(rounds + 1):   # the first round warms up, not counted
        for kind in results:
            for view in views:
                view.slab.job.use(shared if kind == "shared" else SlabWorker(view.slab.job))
            for view in views:
                controller.scroll(view.plane, 1)
            start = time.perf_counter()
            ticks[:] = [start]
            ticker.start()
            first = None
            for view in views:
                view.repaint()
            while any(view.thin_shown for view in views):
                app.processEvents()
                for view in views:
                    view.repaint()
                if first is None and not all(view.thin_shown for view in views):
                    first = time.perf_counter()
                time.sleep(0.002)
            end = time.perf_counter()
            ticker.stop()
            results[kind].append(((first - start) * 1000, (end - start) * 1000,
                                  1000 * float(np.diff(ticks).max())))
    for kind, runs in results.items():
        first, done, stall = (float(np.median([r[i] for r in runs[1:]])) for i in range(3))
        print(f"M on three oblique views, {kind} worker{'s' if kind == 'own' else ''}: first slab "
              f"drawn {first:.0f} ms, all three {done:.0f} ms, longest stall {stall:.0f} ms "
              f"(medians of {rounds}, load {os.getloadavg()[0]:.1f})")
    shared.runner.wait()


def active_first(volume, slab, rounds: int) -> None:
    """Three oblique views in one window share the slab worker; each round all three move a slice
    (their slabs asked in the order axial, sagittal, coronal, the axial's computing), then the
    user, in the coronal view (it has the keys), moves it one slice further: ms from that step
    until the coronal slab is drawn, served first (``SlabWorker.active_first``) against in order
    of request (after the axial and sagittal slabs), rounds interleaved; the first round warms up."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

    from neuroview.ui.controller import ViewerController
    from neuroview.ui.slab_job import SlabWorker
    from neuroview.ui.slice_widget import SliceViewWidget

    app = QApplication.instance() or QApplication([])
    controller = ViewerController()
    controller.set_volume(volume)
    frame, worker = QWidget(), SlabWorker(None)
    frame.setLayout(QHBoxLayout())
    views = [SliceViewWidget(plane, controller) for plane in ("axial", "sagittal", "coronal")]
    for view in views:
        frame.layout().addWidget(view)
        view.slab.job.use(worker)
    frame.resize(3 * 512, 512)
    frame.show()
    frame.activateWindow()
    app.processEvents()
    active = views[-1]
    active.setFocus()
    app.processEvents()
    if not active.hasFocus():
        print("the coronal view did not get the keys: nothing measured")
        return
    controller.set_slab(slab)

    def until(done) -> None:
        while not done():
            app.processEvents()
            for view in views:
                view.repaint()
            time.sleep(0.002)

    results = {"active first": [], "in order of request": []}
    for _ in range(rounds + 1):
        for kind in results:
            worker.active_first = kind == "active first"
            for view in views:   # asked one after another: axial computing, the others queued
                controller.scroll(view.plane, 1)
                until(lambda view=view: view.slab.job.busy)
            controller.scroll(active.plane, 1)   # the user's step in the view with the keys
            start = time.perf_counter()
            until(lambda: not active.thin_shown)
            mine = time.perf_counter() - start
            until(lambda: not any(view.thin_shown for view in views))
            results[kind].append((mine * 1000, (time.perf_counter() - start) * 1000))
    for kind, runs in results.items():
        mine, done = (float(np.median([r[i] for r in runs[1:]])) for i in range(2))
        each = ", ".join(f"{r[0]:.0f}" for r in runs[1:])
        print(f"the active view's slab while two others are asked, {kind}: drawn {mine:.0f} ms "
              f"after its step ({each}), all three {done:.0f} ms (medians of {rounds}, load "
              f"{os.getloadavg()[0]:.1f})")
    first, fifo = (float(np.median([r[0] for r in runs[1:]])) for runs in results.values())
    print(f"active first / in order of request: {first / fifo:.2f}x")
    worker.runner.wait()


if __name__ == "__main__":
    raise SystemExit(main())
