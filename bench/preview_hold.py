"""Benchmark: how long *Fill between slices*' Preview holds the GUI thread on an oblique view.

Before, the window computed the preview on the GUI thread (``Session.preview``: the tool's
``propose`` on the live label map, then the label map shown with the preview). Now the GUI thread
copies the label map and sets the tool up (``Session.preview_task``), a worker runs
``task.propose()``, and the GUI thread takes the result (``Session.show_preview``) and makes the
label map shown (``ui.edit_controller``). Printed: the GUI thread's time before and now (medians),
their ratio, and the worker's time, which the window no longer waits for.

The series is tilted 20 and 12 degrees (0.9 x 0.9 x 3 mm, as the window tests' oblique series),
with discs of 120 and 80 mm drawn in the resliced axial view ``--apart`` slices apart.

Run: python bench/preview_hold.py [--size 256] [--slices 60] [--apart 12] [--repeats 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.session import Session  # noqa: E402
from neuroview.app.view_state import ViewerState  # noqa: E402
from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402


def oblique_volume(size: int, slices: int) -> Volume:
    ax, az = np.radians(20.0), np.radians(12.0)
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    affine = np.eye(4)
    affine[:3, :3] = rz @ rx * np.array([0.9, 0.9, 3.0])
    shape = (size, size, slices)
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2.0)
    image = np.random.default_rng(0).normal(100, 10, shape).astype(np.float32)
    return Volume(image, affine)


def drawn_session(volume: Volume, apart: int) -> tuple[Session, tuple]:
    """Discs painted in the resliced axial view ``apart`` of its slices apart, as the mouse paints
    them."""
    session = Session(volume)
    session.segments.add("lesion")
    state = ViewerState.for_volume(volume)
    normal = np.asarray(state.axes("axial")[2], dtype=float)
    centre = np.asarray(volume.center_ras, dtype=float)
    step = state.slice_step_mm("axial")
    for offset, radius in ((0.0, 60.0), (apart * step, 40.0)):
        point = centre + offset * normal
        session.press("paint", point, radius_mm=radius, mode="2d", view=tuple(normal),
                      plane_ras=tuple(point))
        session.release()
    return session, tuple(normal)


def shown(session: Session, preview) -> LabelMap:
    """The label map the window shows with the preview (``EditController``, GUI thread)."""
    labels = session.labels
    return LabelMap(preview.full_array(labels.array), labels.ijk_to_ras, labels.segments)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--slices", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--apart", type=int, default=12, help="slices between the drawn discs")
    args = parser.parse_args()
    volume = oblique_volume(args.size, args.slices)
    session, view = drawn_session(volume, args.apart)
    before, now, worker, filled = [], [], [], 0
    for _ in range(args.repeats):
        start = time.perf_counter()
        preview = session.preview("interpolate", view=view)
        shown(session, preview)
        before.append(time.perf_counter() - start)
        session.discard_preview()

        start = time.perf_counter()
        task = session.preview_task("interpolate", view=view)
        gui = time.perf_counter() - start
        start = time.perf_counter()
        proposal = task.propose()
        worker.append(time.perf_counter() - start)
        start = time.perf_counter()
        preview = session.show_preview(task, proposal)
        filled = int(np.count_nonzero(shown(session, preview).array))
        now.append(gui + time.perf_counter() - start)
        session.discard_preview()
    b, n, w = (1000 * float(np.median(v)) for v in (before, now, worker))
    print(f"oblique {args.size}x{args.size}x{args.slices}, discs {args.apart} slices apart, "
          f"{filled} voxels in the preview, "
          f"median of {args.repeats}")
    print(f"GUI thread: before {b:.0f} ms, now {n:.0f} ms ({b / n:.1f}x less); worker {w:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
