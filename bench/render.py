"""Slice-view frame times while scrolling, against a bare VTK reslice pipeline and a numpy floor.

Run under Xvfb (Mesa llvmpipe), as the README says:

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/render.py [--slices 200]

For each view (axial, sagittal, coronal) at 512x512 over a 512x512x300 int16 volume with a label
overlay, it scrolls ``--slices`` slices and times a full repaint of neuroview's slice widget
(reslice + window/level + label blend + crosshair + letters + QPainter). References measured in the
same run: VTK's ``vtkImageReslice -> vtkImageActor`` in a 512x512 render window (the classic VTK
slice pipeline), and a plain numpy slice copy with window/level (the floor). It also times the
first rendered frame after opening a file (scan + load + first paint) and the window's start.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

PLANES = ("axial", "sagittal", "coronal")
SIZE = 512


def make_study(shape=(512, 512, 300)):
    from neuroview.core.labels import LabelMap
    from neuroview.core.volume import Volume

    rng = np.random.default_rng(0)
    i, j, k = np.ogrid[: shape[0], : shape[1], : shape[2]]
    centre = np.array(shape) / 2
    r2 = ((i - centre[0]) / 200.0) ** 2 + ((j - centre[1]) / 230.0) ** 2 + ((k - centre[2]) / 140.0) ** 2
    array = (1000 * (r2 < 1) + 40 * np.sin(i / 9.0) * np.cos(j / 13.0)).astype(np.int16)
    array += rng.integers(0, 30, size=shape[2], dtype=np.int16)[None, None, :]
    affine = np.diag([0.45, 0.45, 0.6, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ (np.array(shape) / 2)
    labels = np.zeros(shape, np.uint8)
    labels[150:260, 200:330, 80:220] = 1
    labels[300:380, 150:240, 100:260] = 2
    # Fortran order, as nibabel returns NIfTI data (an axial slice is then contiguous in memory).
    array, labels = np.asfortranarray(array), np.asfortranarray(labels)
    return Volume(array, affine, modality="CT", intensity_unit="HU"), LabelMap.from_array(labels, affine)


def stats(times_ms):
    t = np.asarray(times_ms)
    return float(np.median(t)), float(np.percentile(t, 95))


def bench_widget(volume, labels, n_slices):
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.controller import ViewerController
    from neuroview.ui.slice_widget import SliceViewWidget

    app = QApplication.instance() or QApplication([])
    controller = ViewerController()
    controller.set_volume(volume)
    controller.set_labels(labels)
    results = {}
    for plane in PLANES:
        widget = SliceViewWidget(plane, controller)
        widget.resize(SIZE, SIZE)
        widget.show()
        app.processEvents()
        controller.state.reset_view()
        controller.state.scroll(plane, -n_slices // 2)
        times = []
        for _ in range(n_slices):
            start = time.perf_counter()
            controller.state.scroll(plane, 1)
            widget.repaint()
            times.append((time.perf_counter() - start) * 1000)
        assert widget.last is not None and widget.last.rgb.shape == (SIZE, SIZE, 3)
        results[plane] = stats(times)
        widget.close()
    return results


def _switches() -> tuple[int, int]:
    """This process's (voluntary, involuntary) context switches so far: voluntary ones are waits
    (a timer, a lock, the X server), involuntary ones other processes taking the CPU."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_nvcsw, usage.ru_nivcsw


def _schedstat() -> tuple[int, int]:
    """The GUI thread's (time on a CPU, time waiting for one) in ns (Linux schedstat): wall time
    that is neither is time the thread slept (a timer, the X server, a lock)."""
    with open("/proc/thread-self/schedstat", encoding="ascii") as handle:
        ran, waited, _ = handle.read().split()
    return int(ran), int(waited)


def bench_four_up_wheel(volume, labels, n_steps):
    """One wheel step in the axial view of three linked 512x512 views, as the window does it: a
    wheel event to the axial view, then Qt's paint events. The moved view re-samples; the two
    others only repaint the rows their crosshair line left and reached. Reference, same run: all
    three re-sample and repaint (as before issue #16.10). Wall time and this process's CPU time
    (the CPU time counts less of the other jobs on a shared machine)."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.controller import ViewerController
    from neuroview.ui.slice_widget import SliceViewWidget

    app = QApplication.instance() or QApplication([])
    controller = ViewerController()
    controller.set_volume(volume)
    controller.set_labels(labels)
    views = [SliceViewWidget(plane, controller) for plane in PLANES]
    for view in views:
        view.resize(SIZE, SIZE)
        view.show()
    app.processEvents()
    axial = views[0]
    centre = QPointF(SIZE / 2, SIZE / 2)
    results = {}
    for mode in ("moved view only", "all views (reference)"):
        controller.state.reset_view()
        controller.state.scroll("axial", -n_steps // 2)
        app.processEvents()
        wall, cpu, handed = [], [], [getattr(view, "uploaded_pixels", 0) for view in views]
        switches, queued, blocked = _switches(), [], []
        for _ in range(n_steps):
            sched = _schedstat()
            start, start_cpu = time.perf_counter(), time.process_time()
            event = QWheelEvent(centre, axial.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
                                Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
            QApplication.sendEvent(axial, event)
            if mode != "moved view only":
                for view in views:
                    view.invalidate()
            app.processEvents()  # the paint events
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            ran, waited = (b - a for a, b in zip(sched, _schedstat()))
            queued.append(waited / 1e6)
            blocked.append(wall[-1] - ran / 1e6 - waited / 1e6)
        pixels = [(getattr(view, "uploaded_pixels", 0) - h) / n_steps
                  for view, h in zip(views, handed)]
        waited, preempted = (b - a for a, b in zip(switches, _switches()))
        results[mode] = (stats(wall), stats(cpu), pixels)
        results[mode + " switches"] = (waited / n_steps, preempted / n_steps)
        results[mode + " thread"] = (stats(queued), stats(blocked))
    for view in views:
        view.close()
    return results


def four_up_window(app, image: Path, label_file: Path, folder) -> object:
    """The main window (1200x1150, four-up) with ``image`` and its ``label_file`` open, once its
    background work is done; its workspace in ``folder``, not the user's."""
    from neuroview.ui.main_window import MainWindow

    os.environ["NEUROVIEW_HOME"] = str(folder)
    window = MainWindow()
    window.resize(1200, 1150)
    window.show()
    window.set_layout("four-up")
    window.open_paths([image])
    deadline = time.perf_counter() + 300
    while window.controller.volume is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.open_labels(label_file)
    settle = time.perf_counter()
    while time.perf_counter() < deadline and (window.runner.busy or time.perf_counter() - settle < 5):
        app.processEvents()
        time.sleep(0.02)
    return window


def bench_window_wheel(volume, labels, n_steps):
    """One wheel step in the main window's four-up layout (three slice views and the 3D view,
    the panels, a label map opened from a file), as a user scrolls: wall and CPU time and the GUI
    thread's schedstat, as :func:`bench_four_up_wheel`."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from neuroview.io.nifti import save_nifti

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        image, label_file = Path(folder) / "ct.nii", Path(folder) / "ct-labels.nii"
        save_nifti(volume.array, volume.ijk_to_ras, image)
        save_nifti(labels.array, labels.ijk_to_ras, label_file)
        window = four_up_window(app, image, label_file, folder)
        axial = window.slice_views["axial"]
        centre = QPointF(axial.width() / 2, axial.height() / 2)
        wall, cpu, queued, blocked = [], [], [], []
        renders = {plane: view.renders for plane, view in window.slice_views.items()}
        for step in range(n_steps):
            sched = _schedstat()
            start, start_cpu = time.perf_counter(), time.process_time()
            delta = 120 if (step // (n_steps // 4 or 1)) % 2 == 0 else -120  # stay inside
            event = QWheelEvent(centre, axial.mapToGlobal(centre), QPoint(0, 0), QPoint(0, delta),
                                Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
            QApplication.sendEvent(axial, event)
            app.processEvents()  # paint events, timers due now (the 3D view's, if any)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            ran, waited = (b - a for a, b in zip(sched, _schedstat()))
            queued.append(waited / 1e6)
            blocked.append(wall[-1] - ran / 1e6 - waited / 1e6)
        sizes = {plane: (view.width(), view.height()) for plane, view in window.slice_views.items()}
        renders = {plane: view.renders - renders[plane] for plane, view in window.slice_views.items()}
        window.runner.wait(10000)
        window.edit_actions.close_case()
        window.close()
    return {"wall": stats(wall), "cpu": stats(cpu), "queued": stats(queued),
            "blocked": stats(blocked), "sizes": sizes, "renders": renders}


def bench_vtk_reslice(volume, n_slices):
    """The classic VTK slice pipeline: vtkImageReslice -> window/level -> vtkImageActor."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData
    from vtkmodules.vtkImagingColor import vtkImageMapToWindowLevelColors
    from vtkmodules.vtkImagingCore import vtkImageReslice
    from vtkmodules.vtkRenderingCore import vtkImageActor, vtkRenderer

    from neuroview.render.volume3d import offscreen_render_window

    image = vtkImageData()
    image.SetDimensions(*volume.shape)
    image.SetSpacing(*volume.spacing)
    image.GetPointData().SetScalars(numpy_to_vtk(volume.array.ravel(order="F"), deep=True))
    results = {}
    axes = {"axial": (1, 0, 0, 0, 1, 0, 0, 0, 1), "coronal": (1, 0, 0, 0, 0, 1, 0, -1, 0),
            "sagittal": (0, 0, -1, 1, 0, 0, 0, -1, 0)}
    for plane in PLANES:
        reslice = vtkImageReslice()
        reslice.SetInputData(image)
        reslice.SetOutputDimensionality(2)
        reslice.SetResliceAxesDirectionCosines(*axes[plane])
        colors = vtkImageMapToWindowLevelColors()
        colors.SetInputConnection(reslice.GetOutputPort())
        colors.SetWindow(400)
        colors.SetLevel(40)
        actor = vtkImageActor()
        actor.GetMapper().SetInputConnection(colors.GetOutputPort())
        renderer = vtkRenderer()
        renderer.AddActor(actor)
        window = offscreen_render_window(SIZE, SIZE)
        window.AddRenderer(renderer)
        centre = np.array(volume.shape) * np.array(volume.spacing) / 2
        normal = {"axial": 2, "coronal": 1, "sagittal": 0}[plane]
        reslice.SetResliceAxesOrigin(*centre)
        window.Render()
        renderer.ResetCamera()
        times = []
        for n in range(n_slices):
            origin = centre.copy()
            origin[normal] += (n - n_slices / 2) * volume.spacing[normal]
            start = time.perf_counter()
            reslice.SetResliceAxesOrigin(*origin)
            window.Render()
            times.append((time.perf_counter() - start) * 1000)
        results[plane] = stats(times)
        window.Finalize()
    return results


def bench_numpy_floor(volume, n_slices):
    from neuroview.render.slices import window_to_gray

    results = {}
    array = volume.array
    for plane, axis in (("axial", 2), ("sagittal", 0), ("coronal", 1)):
        times = []
        mid = array.shape[axis] // 2
        for n in range(n_slices):
            index = int(np.clip(mid + n - n_slices // 2, 0, array.shape[axis] - 1))
            start = time.perf_counter()
            key = [slice(None)] * 3
            key[axis] = index
            window_to_gray(np.ascontiguousarray(array[tuple(key)]), 400, 40)
            times.append((time.perf_counter() - start) * 1000)
        results[plane] = stats(times)
    return results


def bench_first_frame(volume) -> tuple[float, float]:
    """Seconds from ``MainWindow()`` to the window shown, and from open to the first slice frame."""
    from PySide6.QtWidgets import QApplication

    from neuroview.io.nifti import save_nifti

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ct.nii"
        save_nifti(volume.array, volume.ijk_to_ras, path)
        start = time.perf_counter()
        from neuroview.ui.main_window import MainWindow

        window = MainWindow()
        window.show()
        app.processEvents()
        shown = time.perf_counter() - start
        start = time.perf_counter()
        window.open_paths([str(path)])
        axial = window.slice_views["axial"]
        while axial.last is None or window.controller.volume is None:
            app.processEvents()
            time.sleep(0.002)
        first = time.perf_counter() - start
        window.close()
    return shown, first


COLD_START = """
import sys, time
t = time.perf_counter()
from PySide6.QtWidgets import QApplication
from neuroview.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()
app.processEvents()
print(time.perf_counter() - t, 'torch' in sys.modules)
"""


def bench_cold_start(repeats: int = 3) -> tuple[float, bool]:
    """Median seconds from a fresh interpreter to the window on screen; whether torch got imported."""
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", COLD_START], env=env, capture_output=True,
                             text=True, check=True).stdout.split()
        runs.append((float(out[-2]), out[-1] == "True"))
    return float(np.median([r[0] for r in runs])), any(r[1] for r in runs)


def print_wheel(wheel: dict) -> None:
    ((wm, w95), (wc, c95), pixels), ((rm, r95), (rc, _), _) = (
        wheel["moved view only"], wheel["all views (reference)"])
    print(f"four-up wheel step (3 views, labels): {wm:.2f} / {w95:.2f} ms median/p95 wall "
          f"({wc:.2f} / {c95:.2f} ms CPU); all three re-sampled (reference) {rm:.2f} / {r95:.2f} ms "
          f"({rc:.2f} ms CPU); {rm / wm:.2f}x; goal < 16 ms -> {'met' if wm < 16 else 'NOT met'}")
    print("  pixels handed to Qt per step: " + ", ".join(
        f"{plane} {n:.0f}" for plane, n in zip(PLANES, pixels)))
    for mode in ("moved view only", "all views (reference)"):
        waited, preempted = wheel[mode + " switches"]
        (queued, _), (blocked, _) = wheel[mode + " thread"]
        print(f"  {mode}: GUI thread per step (medians) waiting for a CPU {queued:.2f} ms, "
              f"asleep (timers, X server, locks) {blocked:.2f} ms; context switches "
              f"{waited:.2f} voluntary, {preempted:.2f} involuntary")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=200)
    parser.add_argument("--wheel-only", action="store_true",
                        help="only the four-up wheel step (with --slices steps)")
    args = parser.parse_args()
    print(f"display: {os.environ.get('DISPLAY') or 'none'}, Qt platform {os.environ['QT_QPA_PLATFORM']}")
    volume, labels = make_study()
    print(f"volume {volume.shape} int16, labels uint8, views {SIZE}x{SIZE}, {args.slices} slices each")
    if args.wheel_only:
        load = os.getloadavg()[0]
        print_wheel(bench_four_up_wheel(volume, labels, args.slices))
        found = bench_window_wheel(volume, labels, args.slices)
        (wm, w95), (cm, c95) = found["wall"], found["cpu"]
        print(f"main window, four-up with the 3D view: {wm:.2f} / {w95:.2f} ms median/p95 wall "
              f"({cm:.2f} / {c95:.2f} ms CPU); GUI thread waiting for a CPU "
              f"{found['queued'][0]:.2f} ms, asleep {found['blocked'][0]:.2f} ms; views "
              f"{found['sizes']}, re-sampled {found['renders']} in {args.slices} steps")
        print(f"load average (1 min) before {load:.1f}, after {os.getloadavg()[0]:.1f}")
        return 0
    cold, torch_loaded = bench_cold_start()
    shown, first = bench_first_frame(volume)
    widget = bench_widget(volume, labels, args.slices)
    wheel = bench_four_up_wheel(volume, labels, args.slices)
    vtk = bench_vtk_reslice(volume, args.slices)
    floor = bench_numpy_floor(volume, args.slices)
    print(f"{'view':<10} {'neuroview median/p95 ms':>24} {'VTK reslice median/p95':>24} "
          f"{'numpy floor median/p95':>24} {'VTK/neuroview':>14}")
    for plane in PLANES:
        (nm, n95), (vm, v95), (fm, f95) = widget[plane], vtk[plane], floor[plane]
        print(f"{plane:<10} {nm:>14.2f} / {n95:6.2f} {vm:>14.2f} / {v95:6.2f} "
              f"{fm:>14.2f} / {f95:6.2f} {vm / nm:>13.2f}x")
    print_wheel(wheel)
    worst = max(widget[p][0] for p in PLANES)
    print(f"cold start to window shown {cold:.2f} s (torch imported: {torch_loaded})")
    print(f"window shown in {shown:.2f} s; first slice frame {first:.2f} s after opening "
          f"({volume.nbytes / 1e6:.0f} MB NIfTI)")
    print(f"goal: median < 16 ms per view -> {'met' if worst < 16 else 'NOT met'} (worst {worst:.2f} ms); "
          f"first frame < 2 s -> {'met' if first < 2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
