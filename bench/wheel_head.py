"""The GUI thread's CPU time of one wheel step in the main window (four-up, offscreen Qt): the 256^3 MNI head
(``resources/demo``, zero-padded as ``bench/infer.py`` pads it) with a label map, the axial view
scrolled 10 slices up and down again, as ``bench/render.py --wheel-only`` does for a CT.

    python bench/wheel_head.py [--steps 100] [--rounds 3] [--against OTHER_CHECKOUT]

``--against``: the same steps with the code of another checkout (``git archive REV | tar -x -C
DIR``), run in turn with this one, each round in a fresh process: medians per round and the ratio
of this code's to the other's. ``--profile``: cProfile (this thread's CPU time) of the steps."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def steps_cpu(steps: int, profile: bool) -> float:
    """Median CPU ms of the GUI thread for each of ``steps`` wheel steps (the code on
    ``sys.path``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO / "bench"))
    from infer import _demo_volume
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication
    from render import four_up_window

    from neuroview.io.nifti import save_nifti

    app = QApplication.instance() or QApplication([])
    volume = _demo_volume(256)
    labels = (volume.array > np.percentile(volume.array[volume.array > 0], 90)).astype(np.uint8)
    folder = Path(tempfile.mkdtemp())
    image, label_file = folder / "head.nii", folder / "head-labels.nii"
    save_nifti(volume.array, volume.ijk_to_ras, image)
    save_nifti(labels, volume.ijk_to_ras, label_file)
    window = four_up_window(app, image, label_file, folder)
    axial = window.slice_views["axial"]
    centre = QPointF(axial.width() / 2, axial.height() / 2)

    def step(number: int) -> None:
        delta = 120 if (number // 10) % 2 == 0 else -120
        QApplication.sendEvent(axial, QWheelEvent(
            centre, axial.mapToGlobal(centre), QPoint(0, 0), QPoint(0, delta), Qt.NoButton,
            Qt.NoModifier, Qt.NoScrollPhase, False))
        app.processEvents()

    for number in range(10):   # warm: the first paints, caches
        step(number)
    import cProfile

    profiler, cpu = cProfile.Profile(time.thread_time), []
    for number in range(steps):
        start = time.thread_time()   # the GUI thread's: not a background job's meanwhile
        if profile:
            profiler.enable()
        step(number)
        if profile:
            profiler.disable()
        cpu.append((time.thread_time() - start) * 1000)
    if profile:
        import pstats

        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    window.runner.wait(10000)
    window.edit_actions.close_case()
    window.close()
    return float(np.median(cpu))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)   # a round's child
    args = parser.parse_args()
    if args.one or args.profile:
        print(f"{steps_cpu(args.steps, args.profile):.3f}")
        return 0
    codes = {"this": REPO} | ({"other": args.against.resolve()} if args.against else {})
    results: dict = {name: [] for name in codes}
    print(f"main window wheel step, 256^3 head with labels, {args.steps} steps a round, "
          f"load {os.getloadavg()[0]:.1f}")
    for _ in range(args.rounds):
        for name, code in codes.items():
            env = dict(os.environ, PYTHONPATH=str(code))
            out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one",
                                  "--steps", str(args.steps)], env=env, cwd=code, check=True,
                                 capture_output=True, text=True).stdout
            results[name].append(float(out.split()[-1]))
    for name, values in results.items():
        print(f"{name:<6} CPU ms a step, medians of the rounds: "
              + ", ".join(f"{v:.2f}" for v in values))
    if args.against:
        ratios = [a / b for a, b in zip(results["this"], results["other"])]
        print("this/other per round: " + ", ".join(f"{r:.2f}" for r in ratios)
              + f"; median {np.median(ratios):.2f}")
    print(f"load after {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
