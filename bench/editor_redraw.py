"""Slice-view redraw during painting: only the changed rectangle vs the whole view.

    python bench/editor_redraw.py [--repeats 200]

A 512x512x300 int16 volume (0.7x0.7x1.0 mm) with a label map, a 512x512 axial view; each repeat
paints a 5 mm 2D brush dab at a random place (Session.press/drag) and redraws what the GUI redraws:
the screen rectangle of the changed voxels (``app.view_regions``), against re-rendering the whole
view (what the viewer did before). Prints medians and p90 in ms and their ratio. No Qt needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from noise_image import noise_volume

    from neuroview.app.session import Session
    from neuroview.app.view_regions import box_rect_in_view, sub_geometry
    from neuroview.app.view_state import ViewerState
    from neuroview.render.slices import render_slice, render_view

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    volume = noise_volume(rng, (0.7, 0.7, 1.0), (-179.0, -179.0, -150.0))
    session = Session(volume)
    session.segments.add("lesion")
    state = ViewerState.for_volume(volume)
    geom = state.geometry("axial", 512, 512)
    full_ms, region_ms = [], []
    for _ in range(args.repeats):
        p = state.center_ras + np.append(rng.uniform(-60, 60, 2), 0.0)
        session.press("paint", p, radius_mm=5.0, mode="2d", view="axial")
        session.drag(p + [1.0, 0.5, 0.0])
        step = session.release()
        if step is None:
            continue
        box = step.box
        t0 = time.perf_counter()
        render_view(volume, state, "axial", 512, 512, labels=session.labels)
        t1 = time.perf_counter()
        rect = box_rect_in_view(box, session.labels.ijk_to_ras, geom)
        if rect is not None:
            render_slice(volume, sub_geometry(geom, *rect), state.window, state.level,
                         labels=session.labels, label_display=state.labels,
                         crosshair_ras=state.crosshair_ras)
        t2 = time.perf_counter()
        full_ms.append((t1 - t0) * 1000)
        region_ms.append((t2 - t1) * 1000)
    full, region = np.array(full_ms), np.array(region_ms)
    print(f"whole view redraw : median {np.median(full):.2f} ms  p90 {np.percentile(full, 90):.2f} ms")
    print(f"changed rectangle : median {np.median(region):.2f} ms  p90 {np.percentile(region, 90):.2f} ms")
    print(f"rectangle vs whole view: {np.median(full) / np.median(region):.1f}x faster (medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
