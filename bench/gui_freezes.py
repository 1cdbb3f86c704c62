"""Benchmark: the GUI thread's longest stall at two actions newuser41 found freezing the window
with the demo open: *File > Open follow-up...* (first opening) and *Edit > Threshold* (first
pick for the image), each as before session 41 and now.

Before: the follow-up dialog's opening imported scipy.ndimage, pydicom and the comparison's
modules on the GUI thread; Threshold measured the image's range and Otsu's threshold there.
Now both happen elsewhere (imported where used; measured in a worker). "before" is replayed in
the same code: the same imports, or the same measurement (``starting_range``) run on the GUI
thread at the pick.

Each run is a fresh interpreter (the first opening is the one that stalls): the demo head is
opened in a 1920x1080 window, then a 10 ms QTimer on the GUI thread records its longest gap
(a) while the window redraws its slice views (the reference, measured in the same run) and
(b) while the action runs and for 0.5 s after. Printed: medians over ``--repeats``, the stalls in
ms and as ratios to the reference.

Run: QT_QPA_PLATFORM=offscreen PYTHONPATH=. python bench/gui_freezes.py [--repeats 3]
(or under xvfb-run -a -s "-screen 0 1920x1080x24" to draw as on a screen)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "resources" / "demo" / "mni152_t1_lesions.nii.gz"
BEFORE_IMPORTS = ("scipy.ndimage", "pydicom", "neuroview.app.followup", "neuroview.ui.followup_window")


def _run_once(action: str, mode: str) -> dict:
    import importlib

    sys.path.insert(0, str(REPO / "bench"))
    from open_hold import Probe, _wait, shown_with
    from PySide6.QtWidgets import QDialog

    from neuroview.ui import threshold_tool

    app, window = shown_with(DEMO)
    probe = Probe()

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        _wait(app, lambda: time.perf_counter() > end)

    settle(1.5)
    probe.start()
    for view in window.slice_views.values():   # the reference: the slice views drawn again
        view.repaint()
    settle(0.2)
    probe.timer.stop()
    reference = max(probe.gaps)
    if action == "followup":
        QDialog.exec = lambda self: (settle(0.3), QDialog.Rejected)[1]   # shown, then Cancel
        if mode == "before":
            def act():
                for name in BEFORE_IMPORTS:   # as the dialog's module imported them
                    importlib.import_module(name)
                window.open_followup_dialog()
        else:
            act = window.open_followup_dialog
    else:
        if mode == "before":   # the range measured on the GUI thread at the pick
            def measure_here(self, volume, frame):
                self._measured(volume, frame, *threshold_tool.starting_range(volume, frame))
            threshold_tool.ThresholdOptions._measure = measure_here

        def act():
            window.edit_actions.pick_tool("threshold")
    probe.start()
    act()
    _wait(app, lambda: window.controller.threshold_preview is not None if action == "threshold" else True)
    settle(0.5)
    probe.timer.stop()
    return {"stall": max(probe.gaps), "reference": reference}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--once", nargs=2, metavar=("ACTION", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="nv-freezes-"))
    if args.once:
        print(json.dumps(_run_once(*args.once)))
        return 0
    env = dict(os.environ, PYTHONPATH=str(REPO))
    results: dict = {}
    for _ in range(args.repeats):
        for action in ("followup", "threshold"):
            for mode in ("before", "now"):
                done = subprocess.run([sys.executable, __file__, "--once", action, mode], env=env,
                                      capture_output=True, text=True, timeout=300)
                if done.returncode:
                    print(done.stderr[-2000:], file=sys.stderr)
                    return 1
                results.setdefault((action, mode), []).append(json.loads(done.stdout.splitlines()[-1]))

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    print(f"demo head, 1920x1080, median of {args.repeats} fresh runs, load average "
          f"{os.getloadavg()[0]:.1f}")
    for action, words in (("followup", "File > Open follow-up... (first)"),
                          ("threshold", "Edit > Threshold (first pick)")):
        line = []
        for mode in ("before", "now"):
            runs = results[(action, mode)]
            stall = median([r["stall"] for r in runs])
            ratio = median([r["stall"] / r["reference"] for r in runs])
            line.append(f"{mode} {1000 * stall:.0f} ms ({ratio:.1f}x the views' redraw)")
        before = median([r["stall"] for r in results[(action, "before")]])
        now = median([r["stall"] for r in results[(action, "now")]])
        print(f"{words}: longest GUI-thread stall {', '.join(line)}; now/before {now / before:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
