"""Benchmark: what a paint stroke costs with the 3D view shown, against the slice views alone.

    xvfb-run -a -s "-screen 0 1920x1080x24" python bench/paint3d.py [--repeats 6]

The window (1400x900) opens the demo head (MNI152, 197x233x189 at 1 mm) and paints strokes of a
5 mm 2D brush on the axial view (mouse events: press, 12 moves, release), in turn in the four-up
layout (the 3D view shown: it rebuilds the segment's surface and draws a frame) and the one-row
layout (three slice views, the 3D view hidden). Each stroke is measured in CPU seconds of the
whole process (all threads: the surface build runs in a worker) from the press until the window
is idle again: no surface build, frame or job pending. Prints the median per layout and their
ratio (1.0: the 3D view costs a stroke nothing), and the median wall time a stroke in each.

``--brain`` loads labels first: the head's brain (T1 over 70, its largest piece, 1.87M voxels,
value 2) and the demo lesions (value 1), a large surface (312k triangles) that the lesion strokes
cut into; each stroke starts at a random point of the brain's edge.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_1mm.nii.gz"


def settle(app, window, timeout: float = 60.0) -> None:
    """Run the event loop until nothing is pending (sleeping between checks costs no CPU)."""
    view3d = window.view3d
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        busy = (view3d.surfaces_pending or view3d.frame_pending or window.runner.busy
                or view3d._markups_timer.isActive() or window.editor._edited_timer.isActive())
        if not busy:
            return
        time.sleep(0.005)
    raise TimeoutError("the window did not settle")


def stroke(app, window, start_ras) -> None:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    view = window.slice_views["axial"]
    geom = window.controller.state.geometry("axial", view.width(), view.height())
    a = np.asarray(geom.ras_to_pixel(start_ras), float)
    b = np.asarray(geom.ras_to_pixel(np.asarray(start_ras) + [12.0, 4.0, 0.0]), float)

    def send(kind, pos, button, buttons):
        event = QMouseEvent(kind, QPointF(*pos), view.mapToGlobal(QPointF(*pos)), button, buttons,
                            Qt.NoModifier)
        QApplication.sendEvent(view, event)
        app.processEvents()

    send(QEvent.MouseButtonPress, a, Qt.LeftButton, Qt.LeftButton)
    for t in np.linspace(0, 1, 13)[1:]:
        send(QEvent.MouseMove, a + t * (b - a), Qt.NoButton, Qt.LeftButton)
    send(QEvent.MouseButtonRelease, b, Qt.LeftButton, Qt.NoButton)


def brain_edges(window, path: Path) -> np.ndarray:
    """Load the brain and lesions as labels (``--brain``); 20 random RAS points of the brain's
    edge on axial slices 60-120 (whose strokes cut into its surface)."""
    import nibabel as nib
    from scipy import ndimage
    from surface_rebuild import brain_labels

    labels, brain, affine = brain_labels()
    nib.save(nib.Nifti1Image(labels, affine), path)
    window.edit_actions.load_labels(path)
    edge = np.argwhere(brain & ~ndimage.binary_erosion(brain))
    edge = edge[(edge[:, 2] >= 60) & (edge[:, 2] <= 120)]
    ijk = edge[np.random.default_rng(5).integers(len(edge), size=20)]
    return ijk @ affine[:3, :3].T + affine[:3, 3]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("--brain", action="store_true")
    args = parser.parse_args()
    os.environ["NEUROVIEW_HOME"] = tempfile.mkdtemp(prefix="neuroview-bench-")
    from PySide6.QtWidgets import QApplication

    from neuroview.ui.actions_edit import EditActions
    from neuroview.ui.main_window import MainWindow

    EditActions.confirm_close = lambda self: True   # the strokes are thrown away at the end
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_paths([DEMO])
    end = time.monotonic() + 120
    while (window.editor.session is None or window.view3d.scene is None
           or window.view3d.rgb is None) and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    settle(app, window)
    starts = None
    if args.brain:
        starts = brain_edges(window, Path(os.environ["NEUROVIEW_HOME"]) / "brain.nii.gz")
        end = time.monotonic() + 120
        while not (window.editor.session.labels.array == 2).any() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        settle(app, window)
    session = window.editor.session
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5.0, mode="2d")
    centre = np.array(window.controller.state.center_ras, float)
    window.controller.set_crosshair(centre)
    settle(app, window)
    costs = {"four-up": [], "one-row": []}
    walls = {"four-up": [], "one-row": []}
    frames = {"four-up": 0, "one-row": 0}
    window.view3d.rendered.connect(lambda: frames.__setitem__(layout, frames[layout] + 1))
    for n in range(args.repeats + 1):   # the first round (first surface, shaders) not counted
        for layout in ("four-up", "one-row"):
            window.set_layout(layout)
            settle(app, window)
            start = centre + [-30.0 + 5.0 * n, -20.0 + 8.0 * (layout == "one-row"), 0.0]
            if starts is not None:
                start = starts[2 * n + (layout == "one-row")]
                window.controller.set_crosshair(start)
                settle(app, window)
            cpu, wall = time.process_time(), time.monotonic()
            stroke(app, window, start)
            settle(app, window)
            if n:
                costs[layout].append(time.process_time() - cpu)
                walls[layout].append(time.monotonic() - wall)
    window.edit_actions.close_case()
    window.close()
    shown, hidden = (statistics.median(costs[k]) for k in ("four-up", "one-row"))
    print(f"paint stroke, CPU s (median of {args.repeats}): 3D view shown {shown:.3f} "
          f"({frames['four-up']} frames), slice views only {hidden:.3f} "
          f"({frames['one-row']} frames)")
    print(f"ratio shown / slice views only: {shown / hidden:.2f}; wall s a stroke (median): shown "
          f"{statistics.median(walls['four-up']):.3f}, slice views only "
          f"{statistics.median(walls['one-row']):.3f}, load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
