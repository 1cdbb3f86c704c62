"""Benchmark: two holds of the window's GUI thread, each against the same work's CPU time outside it.

1. *AI > Segment*'s result applied to the demo case: a model stand-in returns at once a result
   like the bundled model's (the demo's true lesions as ``lesion``, a brain mask of about 1.8M
   voxels as ``brain``), so what is measured is the application of the result: the undo step, the
   journal, the model's proposal and its file, the views, the lists, the 3D view (the frames it
   draws per result and per its undo are counted).
   Reference: ``Case.apply_model_result`` of the same result on a fresh case, CPU seconds.
2. Opening the demo case until its 3D frame is drawn (``open_hold.open_once``). Reference: the
   3D view's own work on the same image outside the window (``prepare_volume`` and one frame of
   an offscreen ``Scene3D``), CPU seconds.

The probe (``open_hold.Probe``): a QTimer every 10 ms on the GUI thread recording the longest gap
between its calls while the action runs; medians over ``--repeats`` (the first run, imports and
VTK's start-up, not counted). The window is 1400x900, four-up, the 3D view shown.

Run (needs a display): xvfb-run -a python bench/gui_stalls.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "resources" / "demo" / "mni152_t1_lesions.nii.gz"
TRUTH = REPO / "resources" / "demo" / "mni152_t1_lesions_truth.nii.gz"
MODEL = "stand-in@1.0"
FRAMES: list[tuple[int, int]] = []   # 3D frames drawn per applied result and per its undo


def model_result(volume):
    """A result as the bundled model gives it on the demo case (lesions + a brain mask)."""
    import nibabel as nib

    from neuroview.ai.api import LabelInfo, SegmentationResult

    image = np.asarray(volume.frame(0), dtype=np.float32)
    lesions = (np.asarray(nib.load(TRUTH).dataobj) > 0).astype(np.uint8)
    brain = image > np.percentile(image, 79)   # about 1.8M voxels on the demo image
    return SegmentationResult(lesions, volume.ijk_to_ras, [LabelInfo(1, "lesion", (250, 120, 0))],
                              MODEL, "cpu", brain_mask=brain)


def reference_apply(volume, result) -> float:
    """CPU seconds of ``Case.apply_model_result`` of ``result`` on a fresh case with a workspace."""
    from neuroview.ai.segment import with_brain_segment
    from neuroview.app.case import Case

    labels, segments = with_brain_segment(result)
    with tempfile.TemporaryDirectory() as folder:
        case = Case.open(volume, workspace=Path(folder) / "ws")
        start = time.process_time()
        case.apply_model_result(labels, {v: n for v, n, _c in segments}, MODEL,
                                colors={v: c for v, _n, c in segments},
                                hidden={v for v, n, _c in segments if n == "brain"})
        seconds = time.process_time() - start
        case.close()
    return seconds


def reference_3d(volume) -> float:
    """CPU seconds of the 3D view's set-up and first frame of ``volume`` outside the window."""
    from neuroview.render.volume3d import Scene3D

    scene = Scene3D(600, 450)
    start = time.process_time()
    scene.set_volume(volume, "MR default")
    scene.render(600, 450)
    seconds = time.process_time() - start
    scene.close()
    return seconds


def apply_once(app, window, probe) -> float:
    """Run AI > Segment with the stand-in; the longest gap until the result is applied and the
    3D view has drawn it (then it is undone, so that every run starts from the same labels)."""
    from open_hold import _wait

    session = window.editor.session
    steps = len(session.history.undo_steps)
    rendered: list[float] = []
    window.view3d.rendered.connect(lambda: rendered.append(time.perf_counter()))
    probe.start()
    window.ai_actions._run_segment(MODEL, "cpu")
    _wait(app, lambda: len(session.history.undo_steps) > steps and MODEL in window.notice_bar.text
          and not window.runner.busy and not window.view3d.surfaces_pending)
    applied = time.perf_counter()
    _wait(app, lambda: any(t > applied for t in rendered), 3.0)   # the 3D view's frame of it
    settle = time.perf_counter() + 0.5
    _wait(app, lambda: time.perf_counter() > settle)
    probe.timer.stop()
    gap = max(probe.gaps)
    frames = len(rendered)
    session.undo()
    _wait(app, lambda: not window.view3d.surfaces_pending and not window.runner.busy)
    settle = time.perf_counter() + 0.8
    _wait(app, lambda: time.perf_counter() > settle)
    window.view3d.rendered.disconnect()
    FRAMES.append((frames, len(rendered) - frames))
    return gap


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ["NEUROVIEW_HOME"] = tempfile.mkdtemp(prefix="nv-home-")
    from open_hold import Probe, _wait, open_once
    from PySide6.QtWidgets import QApplication

    import neuroview.ai.segment as ai_segment
    from neuroview.io import load
    from neuroview.ui.main_window import MainWindow

    volume = load(DEMO)
    result = model_result(volume)
    ai_segment.segment = lambda *a, **k: result
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    probe = Probe()
    twin = Path(tempfile.mkdtemp(prefix="nv-stalls-")) / DEMO.name   # the same file again: no new 3D frame
    shutil.copyfile(DEMO, twin)
    opens = []
    for repeat in range(args.repeats + 1):
        hold = open_once(app, window, (DEMO, twin)[repeat % 2], probe)[0]
        if repeat:
            opens.append(hold)
        _wait(app, lambda: window.editor.session is not None)
    applies = [apply_once(app, window, probe) for _ in range(args.repeats + 1)][1:]
    ref_apply = float(np.median([reference_apply(volume, result) for _ in range(args.repeats)]))
    ref_3d = float(np.median([reference_3d(volume) for _ in range(args.repeats)]))
    brain = int(result.brain_mask.sum())
    print(f"demo case {'x'.join(map(str, volume.shape[:3]))}, brain mask {brain} voxels, "
          f"median of {args.repeats}, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC")
    print(f"AI > Segment result applied: longest GUI-thread gap {1000 * float(np.median(applies)):.0f} ms "
          f"(runs {', '.join(f'{1000 * g:.0f}' for g in applies)}); "
          f"Case.apply_model_result alone {1000 * ref_apply:.0f} ms CPU; 3D frames per result "
          f"and per undo {', '.join(f'{a}+{b}' for a, b in FRAMES[1:])}")
    print("Opening the case until the 3D frame: longest GUI-thread gap "
          f"{1000 * float(np.median(opens)):.0f} ms "
          f"(runs {', '.join(f'{1000 * g:.0f}' for g in opens)}); "
          f"3D set-up + first frame alone {1000 * ref_3d:.0f} ms CPU")
    session = window.editor.session
    session.mark_saved(session.version)   # the runs were undone: nothing to ask about on closing
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
