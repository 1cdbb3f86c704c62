"""Drawing cost of *Compare series side by side...*'s two panes (``ui.compare_pair``): a new slice,
a window/level step (the values at the pixels kept, re-mapped), and a segment edit (the labels
sampled again, the images' values kept), with and without the image's segments over both panes.

    QT_QPA_PLATFORM=offscreen python bench/compare_panes.py [--repeats 15]

The bundled MNI head (197x233x189, 1 mm) on the left, and the same head on an oblique grid (turned
12 and 20 degrees, sampled through ``map_coordinates``) on the right; a 6 mm ball of segment 1 on
the left grid; two 600x600 panes, axial. Prints the median milliseconds of ``pane_images()``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from overlay import turned  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from timing import median_seconds  # noqa: E402

from neuroview.app.view_state import LabelDisplay  # noqa: E402
from neuroview.core.labels import LabelMap  # noqa: E402
from neuroview.io.nifti import load_nifti  # noqa: E402
from neuroview.ui.compare_pair import SeriesPairWidget  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication([])
    head = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    oblique = np.eye(4)
    oblique[:3, :3] = turned(12.0, 20.0)
    other = replace(head, ijk_to_ras=oblique @ head.ijk_to_ras, description="oblique")
    ijk = np.moveaxis(np.mgrid[tuple(slice(0, n) for n in head.shape)], 0, -1)
    ball = (np.linalg.norm(ijk - np.asarray(head.shape) // 2, axis=-1) < 6).astype(np.uint8)
    labels, display = LabelMap.from_array(ball, head.ijk_to_ras, {1: "lesion"}), LabelDisplay()
    pair = SeriesPairWidget(head, other, ("MNI", "oblique"))
    pair.resize(1200, 600)
    steps = {"slice": lambda n: pair.state.scroll("axial", 1 if n % 2 else -1),
             "window/level": lambda n: pair.set_right_window_level(2000.0 + n, 1000.0),
             "segment edit": lambda n: pair.segments_edited()}
    print(f"two {pair.pane_device_size()[0]}x{pair.pane_device_size()[1]} panes, median of "
          f"{args.repeats} drawings, ms")
    for with_segments in (False, True):
        pair.segments = (lambda: (labels, display)) if with_segments else None
        pair.pane_images()
        for name, step in steps.items():
            if name == "segment edit" and not with_segments:
                continue
            count = iter(range(10 ** 6))

            def draw(step=step, count=count):
                step(next(count))
                pair.pane_images()

            ms = median_seconds(draw, args.repeats) * 1000
            print(f"{'with' if with_segments else 'no'} segments, {name}: {ms:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
