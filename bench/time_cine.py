"""Playing a 4D run's time points (*View > Play time points*, Shift+C): milliseconds per time
point drawn, against a slice step drawn (the wheel's, C's cine) as the reference.

    QT_QPA_PLATFORM=offscreen python bench/time_cine.py [--repeats 40]

A 40-frame 128x128x30 BOLD-like run (float32, 2x2x4 mm) opened in the window at 1024x768; each
repeat steps the *Time point* box as the player does, then a slice of the axial view, alternately,
each followed by the events it queues and a synchronous repaint of the slice views. Prints the
medians and p90 in ms; the player's 8 time points a second leave 125 ms a step.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from neuroview.io.nifti import save_nifti
    from neuroview.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bold.nii.gz"
        save_nifti(bold_run(), np.diag([2.0, 2.0, 4.0, 1.0]), path)
        window = MainWindow()
        window.resize(1024, 768)
        window.show()
        window.open_paths([path])
        while window.controller.volume is None or window.runner.busy:
            app.processEvents()
            time.sleep(0.01)
        box, c = window.display_panel.frame_box, window.controller
        times, slices, direction = [], [], 1
        for n in range(args.repeats):
            times.append(drawn(app, window, lambda: box.setValue(box.value() % box.maximum() + 1)))
            if n % 10 == 9:
                direction = -direction
            slices.append(drawn(app, window, lambda d=direction: c.scroll("axial", d)))
        for name, values in (("time point", times), ("slice", slices)):
            print(f"{name} step drawn: median {np.median(values):.1f} ms, p90 "
                  f"{np.percentile(values, 90):.1f} ms ({len(values)} steps)")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
