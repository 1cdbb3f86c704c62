"""Opening a big study (issue #16.9): peak memory and time to the first image in the window.

Writes a 512x512x1000 int16 CT (500 MB of voxels; MNI-like noise, gzip level 1) to a temporary
folder, then runs two fresh processes on it and compares them:

- reference: a bare ``nibabel`` load of the voxels into memory (what any viewer must at least do);
- neuroview: the main window (Qt offscreen platform, four-up layout with the 3D view), opening the
  file as a user does, until the first slice image is drawn, then until every background job (3D
  view, segment counts) is finished; then what a user does next: one brush stroke with the mouse
  on the axial view (the segment editor's paint tool, radius 5 mm, across 40 mm), one undo (the
  Edit menu's Undo, Ctrl+Z), and the journal's first snapshot of the label map (the workspace's
  compaction, which a save or a long journal triggers), each followed by the window's redraws and
  background counts.

Each prints its peak resident memory (``VmHWM`` of /proc/self/status) and its RSS and peak after
each phase; the ratio "peak / (image + label map)" is the design guide's goal (< 1.5), with the 3D
view, the label map, the undo history and the journal's first snapshot included.

A third process opens the window again under ``tracemalloc`` (not timed: tracing slows Python) and
prints the buffers alive when the traced total was highest, and at each phase, grouped by the line
that allocated them (numpy arrays are traced; VTK's and Qt's own C++ memory is not, and shows as
"untraced" = resident minus traced).

With ``--napari N`` (run under a display: ``xvfb-run -a``) it instead times the first image
against napari (a bench-only reference, not a dependency: skipped with a line when missing), N
runs each, alternating, each in a fresh process on the Qt xcb platform, timed from just before the
process is launched (interpreter start and imports included) to:

- neuroview: the main window (1400x900, default layout) shown, the file opened with
  ``open_paths``, until the axial view's ``paintEvent`` has drawn its first slice picture;
- napari: ``napari.Viewer(show=True)``, the voxels read with ``np.asarray(nib.load(path).dataobj)``
  (napari's builtin reader does not read NIfTI), ``add_image``, until vispy's canvas has drawn
  (its ``draw`` event) after the layer was added.

Run: python bench/open_big.py [--slices 1000] [--keep DIR] [--no-buffers] [--napari N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
REPO = str(Path(__file__).resolve().parent.parent)
BIG = 1 << 20
"""Allocations of at least 1 MiB per line are listed as buffers."""


def _status(key: str) -> int:
    """A /proc/self/status value in bytes (VmHWM: peak resident set; VmRSS: now)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def make_ct(path: Path, slices: int) -> None:
    import nibabel as nib
    import numpy as np

    rng = np.random.default_rng(0)
    data = np.empty((512, 512, slices), np.int16, order="F")
    zz, yy = np.mgrid[0:512, 0:512]
    head = ((zz - 256) ** 2 + (yy - 256) ** 2) < 200 ** 2
    for k in range(slices):
        plane = np.full((512, 512), -1000, np.int16)
        plane[head] = 40
        plane += rng.integers(-20, 20, (512, 512), dtype=np.int16)
        data[:, :, k] = plane
    nib.save(nib.Nifti1Image(data, np.diag([0.5, 0.5, 0.6, 1.0])), path)  # nibabel's gzip level 1


def worker_nibabel(path: str) -> dict:
    import nibabel as nib
    import numpy as np

    start = time.perf_counter()
    array = np.asarray(nib.load(path).dataobj)
    return {"seconds": time.perf_counter() - start, "peak": _status("VmHWM"),
            "voxels": int(array.nbytes)}


class Buffers:
    """tracemalloc snapshots grouped by allocating line: at each phase, and whenever the traced
    total passed its highest so far by 5 % (the peak the main thread can see between events)."""

    def __init__(self) -> None:
        tracemalloc.start()
        self.phases: dict[str, dict] = {}
        self.highest = 0

    @staticmethod
    def _where(frame) -> str:
        name = frame.filename
        for root in (REPO + os.sep, "site-packages" + os.sep):
            if root in name:
                name = name.split(root, 1)[1]
        return f"{name}:{frame.lineno}"

    def snapshot(self, phase: str) -> None:
        stats = tracemalloc.take_snapshot().statistics("lineno")
        traced = sum(s.size for s in stats)
        big = [(self._where(s.traceback[0]), s.size) for s in stats if s.size >= BIG]
        self.phases[phase] = {"traced": traced, "rss": _status("VmRSS"), "buffers": big[:10]}

    def poll(self) -> None:
        current = tracemalloc.get_traced_memory()[0]
        if current > 1.05 * max(self.highest, BIG):
            self.highest = current
            self.snapshot("highest traced")


def _idle(app, window, buffers, seconds: float = 3.0) -> None:
    """Let redraws and background jobs (counts) finish, as a user looking at the window would."""
    start = time.perf_counter()
    while time.perf_counter() - start < 120:
        app.processEvents()
        if buffers:
            buffers.poll()
        if not window.runner.busy and time.perf_counter() - start > seconds:
            return
        time.sleep(0.02)


def _mouse(view, kind, pixel, button, buttons) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    event = QMouseEvent(kind, QPointF(*pixel), view.mapToGlobal(QPointF(*pixel)), button, buttons,
                        Qt.NoModifier)
    QApplication.sendEvent(view, event)


def edit_as_a_user(app, window, buffers, phases: dict, peaks: dict) -> dict:
    """One brush stroke on the axial view, one undo, the journal's first snapshot; the RSS and
    peak after each (and buffers when traced). Returns what the edits changed, as a check."""
    import numpy as np
    from PySide6.QtCore import QEvent, Qt

    start = time.perf_counter()
    while window.editor.session is None and time.perf_counter() - start < 120:
        app.processEvents()
        time.sleep(0.02)
    session = window.editor.session
    volume = window.controller.volume
    centre = volume.ijk_to_ras @ np.r_[np.asarray(volume.shape[:3]) / 2.0, 1.0]
    window.controller.set_crosshair(centre[:3])
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5.0, mode="2d")
    view = window.slice_views["axial"]
    geometry = window.controller.state.geometry("axial", view.width(), view.height())
    points = [np.asarray(geometry.ras_to_pixel(centre[:3] + [dx, 0.0, 0.0]))
              for dx in np.linspace(-20.0, 20.0, 17)]
    _idle(app, window, buffers, 0.5)
    _mouse(view, QEvent.MouseButtonPress, points[0], Qt.LeftButton, Qt.LeftButton)
    for point in points[1:]:
        app.processEvents()
        _mouse(view, QEvent.MouseMove, point, Qt.NoButton, Qt.LeftButton)
    _mouse(view, QEvent.MouseButtonRelease, points[-1], Qt.LeftButton, Qt.NoButton)
    _idle(app, window, buffers)
    painted = int(np.count_nonzero(session.labels.array))
    phases["after stroke"], peaks["after stroke"] = _status("VmRSS"), _status("VmHWM")
    if buffers:
        buffers.snapshot("after stroke")
    window.edit_actions.undo_action.trigger()  # Edit > Undo (Ctrl+Z)
    _idle(app, window, buffers)
    left = int(np.count_nonzero(session.labels.array))
    history = int(session.history.nbytes)
    phases["after undo"], peaks["after undo"] = _status("VmRSS"), _status("VmHWM")
    if buffers:
        buffers.snapshot("after undo")
    session.checkpoint()  # the journal's snapshot of the label map (after a save, a long journal)
    _idle(app, window, buffers, 1.0)
    phases["after journal snapshot"] = _status("VmRSS")
    peaks["after journal snapshot"] = _status("VmHWM")
    if buffers:
        buffers.snapshot("after journal snapshot")
    return {"painted_voxels": painted, "after_undo_voxels": left, "history_bytes": history}


def worker_window(path: str, trace: bool = False) -> dict:
    buffers = Buffers() if trace else None
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    phases = {"window shown": _status("VmRSS")}
    start = time.perf_counter()
    window.open_paths([path])
    first = None
    while time.perf_counter() - start < 600:
        app.processEvents()
        if buffers:
            buffers.poll()
        if first is None and window.slice_views["axial"].last is not None:
            first = time.perf_counter() - start
            phases["first image"] = _status("VmRSS")
            if buffers:
                buffers.snapshot("first image")
        if first is not None and not window.runner.busy:
            break
        if first is not None and time.perf_counter() - start > first + 20:
            break
        time.sleep(0.01)
    # Let the 3D view and the segment panel finish, as a user looking at the window would.
    settle = time.perf_counter()
    while time.perf_counter() - settle < 5:
        app.processEvents()
        if buffers:
            buffers.poll()
        time.sleep(0.02)
    phases["settled"] = _status("VmRSS")
    peaks = {"settled": _status("VmHWM")}
    if buffers:
        buffers.snapshot("settled")
    edits = edit_as_a_user(app, window, buffers, phases, peaks)
    labels = window.controller.labels
    volume = window.controller.volume
    result = {"first_image_s": first, "peak": _status("VmHWM"), "phases": phases, "peaks": peaks,
              "edits": edits,
              "image_bytes": int(volume.array.nbytes),
              "labels_bytes": int(labels.array.nbytes) if labels is not None else 0}
    if buffers:
        result["buffers"] = buffers.phases
        result["traced_peak"] = tracemalloc.get_traced_memory()[1]
    window.runner.wait(10000)
    window.edit_actions.close_case()  # the edits stay in the (temporary) workspace: no question
    window.close()
    return result


def first_neuroview(path: str, launched: float) -> dict:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_paths([path])
    while window.slice_views["axial"].last is None and time.time() - launched < 600:
        app.processEvents()
        time.sleep(0.005)
    first = time.time() - launched
    window.runner.wait(60000)
    window.close()
    return {"first_s": first, "peak": _status("VmHWM")}


def first_napari(path: str, launched: float) -> dict:
    import napari
    import nibabel as nib
    import numpy as np
    from qtpy.QtWidgets import QApplication

    viewer = napari.Viewer(show=True)
    drawn: list[float] = []
    viewer.window._qt_viewer.canvas._scene_canvas.events.draw.connect(
        lambda event: drawn.append(time.time()))
    viewer.add_image(np.asarray(nib.load(path).dataobj), name="ct")
    added = len(drawn)
    while len(drawn) == added and time.time() - launched < 600:
        QApplication.processEvents()
        time.sleep(0.005)
    first = time.time() - launched
    viewer.close()
    return {"first_s": first, "peak": _status("VmHWM")}


def compare_napari(path: Path, runs: int) -> None:
    import importlib.util
    import statistics

    if importlib.util.find_spec("napari") is None:
        print("napari is not installed: the napari reference is skipped "
              "(pip install -c constraints.txt napari)")
        return
    if not os.environ.get("DISPLAY"):
        print("no display: run under xvfb-run -a for the napari comparison; skipped")
        return
    times: dict[str, list[float]] = {"neuroview": [], "napari": []}
    for run in range(runs):
        for kind in ("neuroview", "napari"):
            found = _run("first-" + kind, path, platform="xcb")
            times[kind].append(found["first_s"])
            print(f"  run {run + 1} {kind}: first image {found['first_s']:.1f} s after launch, "
                  f"peak {found['peak'] / 1024 ** 3:.2f} GiB (load {os.getloadavg()[0]:.1f})")
    ours, theirs = (statistics.median(times[k]) for k in ("neuroview", "napari"))
    print(f"first image, median of {runs}: neuroview {ours:.1f} s, napari {theirs:.1f} s; "
          f"neuroview / napari = {ours / theirs:.2f}")


def _run(kind: str, path: Path, platform: str = "offscreen") -> dict:
    with tempfile.TemporaryDirectory() as home:  # the edits' workspace, not the user's
        launched = time.time()
        env = dict(os.environ, NEUROVIEW_HOME=home, QT_QPA_PLATFORM=platform)
        done = subprocess.run([sys.executable, __file__, "--worker", kind, str(path), str(launched)],
                              capture_output=True, text=True, timeout=1200, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=1000)
    parser.add_argument("--keep", default=None, help="folder for the test CT (kept; default: temp)")
    parser.add_argument("--no-buffers", action="store_true",
                        help="skip the tracemalloc run that lists the buffers")
    parser.add_argument("--napari", type=int, default=0, metavar="N",
                        help="only the first image against napari, N alternating runs each")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "PATH", "LAUNCHED"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, path, launched = args.worker
        if kind.startswith("first-"):
            first = first_neuroview if kind == "first-neuroview" else first_napari
            print(json.dumps(first(path, float(launched))))
        else:
            print(json.dumps(worker_nibabel(path) if kind == "nibabel"
                             else worker_window(path, trace=kind == "buffers")))
        return 0
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ct_512x512x{args.slices}.nii.gz"
    if not path.exists():
        start = time.perf_counter()
        make_ct(path, args.slices)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.0f} s")
    gib = 1024 ** 3
    if args.napari:
        compare_napari(path, args.napari)
        if not args.keep:
            path.unlink()
            folder.rmdir()
        return 0
    bare = _run("nibabel", path)
    print(f"bare nibabel load: {bare['seconds']:.1f} s, peak {bare['peak'] / gib:.2f} GiB "
          f"(voxels {bare['voxels'] / gib:.2f} GiB)")
    window = _run("window", path)
    data = window["image_bytes"] + window["labels_bytes"]
    print(f"neuroview window: first image after {window['first_image_s']:.1f} s "
          f"({window['first_image_s'] / bare['seconds']:.2f}x the bare load), peak "
          f"{window['peak'] / gib:.2f} GiB = {window['peak'] / data:.2f}x (image + label map "
          f"{data / gib:.2f} GiB); {window['peak'] / bare['peak']:.2f}x the bare load's peak")
    print("  RSS by phase: " + ", ".join(f"{k} {v / gib:.2f} GiB" for k, v in window["phases"].items()))
    print("  peak so far: " + ", ".join(f"{k} {v / gib:.2f} GiB ({v / data:.2f}x)"
                                        for k, v in window["peaks"].items()))
    edits = window["edits"]
    print(f"  stroke painted {edits['painted_voxels']} voxels, undo left {edits['after_undo_voxels']}; "
          f"undo history {edits['history_bytes']} bytes")
    if not args.no_buffers:
        traced = _run("buffers", path)
        mib = 1024 ** 2
        print(f"buffers (tracemalloc run, peak traced {traced['traced_peak'] / gib:.2f} GiB, peak "
              f"resident {traced['peak'] / gib:.2f} GiB):")
        for phase, found in traced["buffers"].items():
            print(f"  {phase}: traced {found['traced'] / gib:.2f} GiB, resident "
                  f"{found['rss'] / gib:.2f} GiB, untraced (VTK, Qt, libraries) "
                  f"{(found['rss'] - found['traced']) / gib:.2f} GiB")
            for where, size in found["buffers"]:
                print(f"    {size / mib:8.1f} MiB  {where}")
    if not args.keep:
        path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
