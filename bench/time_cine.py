"""Playing a 4D run's time points (*View > Play time points*, Shift+C): milliseconds per time
point drawn, against a slice step drawn (the wheel's, C's cine) as the reference.

    QT_QPA_PLATFORM=offscreen python bench/time_cine.py [--repeats 40] [--ct] [--layout single]

A 40-frame 128x128x30 BOLD-like run (float32, 2x2x4 mm) opened in the window at 1024x768
(``--ct``: a 6-frame 512x512x64 CT perfusion-like run in HU, int16, 0.5x0.5x2 mm, a sidecar
naming it CT); each repeat steps the time points as the playing *Play time points* does (its
``step``, the action checked, its own timer left out), then a slice of the axial view, alternately,
each followed by the events it queues and a synchronous repaint of the slice views; then the same
steps again with an ellipse and a rectangle drawn on the axial slice (their figures read at each
time point); then the cine stops, and the time until the 3D view has drawn the time point shown.
Then the cine plays for real (its timer, 8 time points a second, the event loop running) for
``--played`` time points, in the layout given and in the single layout (the axial view alone, no
3D view): the ms between time points shown (125 at the player's rate).
Prints the medians and p90 in ms, the median time point step with the two regions over the one
without, and the played intervals' median over the single layout's.
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


def bold_run(frames=40) -> np.ndarray:
    rng = np.random.default_rng(0)
    base = np.zeros((128, 128, 30), np.float32)
    i, j = np.mgrid[:128, :128]
    base[((i - 64) ** 2 + (j - 64) ** 2) < 55 ** 2] = 800.0
    drift = np.sin(np.linspace(0, 6 * np.pi, frames)) * 20
    return np.stack([base + drift[t] + rng.normal(0, 15, base.shape).astype(np.float32)
                     for t in range(frames)], axis=-1)


def ct_run(frames=6) -> np.ndarray:
    """A 512x512x64 head in HU (air, a skull, brain at 40) whose vessels fill with contrast."""
    i, j = np.mgrid[:512, :512]
    r2 = (i - 256) ** 2 + (j - 256) ** 2
    base = np.full((512, 512), -1000, np.int16)
    base[r2 < 200 ** 2] = 1000
    base[r2 < 190 ** 2] = 40
    vessel = ((i - 200) ** 2 + (j - 300) ** 2) < 12 ** 2
    run = np.empty((512, 512, 64, frames), np.int16)
    for t in range(frames):
        run[..., t] = np.where(vessel, 40 + 60 * t, base)[..., None]
    return run


def drawn(app, window, step) -> float:
    start = time.perf_counter()
    step()
    app.processEvents()
    for view in window.slice_views.values():
        view.repaint()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--ct", action="store_true", help="a 512x512x64 CT run, 6 time points")
    parser.add_argument("--layout", default="four-up", help="the views' layout (single: the axial "
                        "view alone, no 3D view re-rendering each time point)")
    parser.add_argument("--played", type=int, default=16, help="time points the cine plays")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from neuroview.app.view_measure import Ellipse, Rectangle, drawn_on_slice
    from neuroview.io.nifti import save_nifti
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        # its own data folder: the regions drawn are remembered with the image, and the next run
        # opened the same voxels with every earlier run's regions on them
        os.environ["NEUROVIEW_HOME"] = str(Path(folder) / "home")
        path = Path(folder) / ("ct.nii" if args.ct else "bold.nii.gz")
        if args.ct:
            save_nifti(ct_run(), np.diag([0.5, 0.5, 2.0, 1.0]), path)
            path.with_suffix(".json").write_text('{"Modality": "CT"}')   # in HU, as dcm2niix says
        else:
            save_nifti(bold_run(), np.diag([2.0, 2.0, 4.0, 1.0]), path)
        window = MainWindow()
        window.resize(1024, 768)
        window.show()
        window.open_paths([path])
        while window.controller.volume is None or window.runner.busy:
            app.processEvents()
            time.sleep(0.01)
        c = window.controller
        window.set_layout(args.layout)

        cine = window.time_cine
        cine.timer.setInterval(10 ** 9)   # the steps are this script's
        cine.action.setChecked(True)

        def step_time():
            cine.step()

        def steps() -> tuple[list, list]:
            times, slices, direction = [], [], 1
            for n in range(args.repeats):
                times.append(drawn(app, window, step_time))
                if n % 10 == 9:
                    direction = -direction
                slices.append(drawn(app, window, lambda d=direction: c.scroll("axial", d)))
            return times, slices

        times, slices = steps()
        centre = np.asarray(c.state.crosshair_ras, float)
        axes = np.stack(c.state.axes("axial"))
        for shape, offset in ((Ellipse, 0.1), (Rectangle, -0.1)):   # a tenth of the field across
            across = (axes[0] + axes[1]) * offset * c.volume.shape[0] * abs(c.volume.ijk_to_ras[0, 0])
            c.add_region(drawn_on_slice(shape, c.shown_volume(), c.state, "axial", centre,
                                        centre + across))
        regions, _ = steps()   # the same steps again, the regions' figures read at each time point
        view3d, start = window.view3d, time.perf_counter()
        cine.action.setChecked(False)
        while view3d._volume_timer.isActive() or view3d.frame_rebuilding or view3d.frame_pending:
            app.processEvents()
            time.sleep(0.002)
        settled = (time.perf_counter() - start) * 1000
        from neuroview.ui.time_cine import TIME_POINTS_PER_SECOND

        def played() -> list:
            shown = []
            c.frame_changed.connect(lambda _f: shown.append(time.perf_counter()))
            cine.timer.setInterval(round(1000 / TIME_POINTS_PER_SECOND))
            cine.action.setChecked(True)
            while len(shown) <= args.played:
                app.processEvents()
                time.sleep(0.002)
            cine.action.setChecked(False)
            c.frame_changed.disconnect()
            return list(np.diff(shown) * 1000)

        played_layout = played()
        window.set_layout("single")
        played_single = played()
        for name, values in ((f"time point step drawn ({args.layout})", times),
                             ("slice step drawn", slices),
                             ("time point step drawn with 2 regions", regions),
                             (f"played, between time points ({args.layout})", played_layout),
                             ("played, between time points (single)", played_single)):
            print(f"{name}: median {np.median(values):.1f} ms, p90 "
                  f"{np.percentile(values, 90):.1f} ms ({len(values)})")
        print(f"time point step with 2 regions / without: {np.median(regions) / np.median(times):.2f}x")
        print(f"played {args.layout} / single: {np.median(played_layout) / np.median(played_single):.2f}x")
        print(f"cine stopped -> 3D view drawn: {settled:.0f} ms")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
