"""Benchmark: how long the window's GUI thread stops when an AI job first loads torch, before/after.

Each run is a fresh interpreter (torch not imported yet, as in the window a user opens): the
main window (1400x900) opens the demo case; once it is idle, a 10 ms QTimer on the GUI thread
records the gaps between its calls while *AI > Segment with a model...* is started with its
shortcut (Ctrl+Shift+S) until the dialog's "Runs on" line says the device (the background job
"Loading the AI runtime" has imported torch and the inference modules). Printed per variant,
medians over ``--repeats`` runs, the two variants alternating:

* the longest gap (what a user sees as a frozen window),
* the longest CPU time the other threads ran between two ticks (the lock held: less noisy than
  wall time on a busy machine),
* the full cycle collections during the load and their milliseconds.

``before``: the first ``import torch`` as it comes (``neuroview.ai.runtime_import``'s hook taken
out of ``sys.meta_path``); ``after``: through the hook (libraries preloaded with the lock released,
cycle collector paused).

Run (needs a display): xvfb-run -a -s "-screen 0 1920x1080x24" python bench/ai_runtime_hold.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "resources" / "demo" / "mni152_t1_lesions.nii.gz"


def _wait(app, condition, seconds: float = 300.0) -> None:
    end = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def one_run(variant: str) -> dict:
    """In this (fresh) process: open the window and the demo, start AI > Segment, measure."""
    import gc

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from neuroview.ai import runtime_import
    from neuroview.ui.main_window import MainWindow
    from neuroview.ui.model_choice import CHECKING

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_paths([str(DEMO)])
    _wait(app, lambda: window.controller.volume is not None and not window.runner.busy)
    settle = time.perf_counter() + 1.0
    _wait(app, lambda: time.perf_counter() > settle)
    if "torch" in sys.modules:
        raise SystemExit("torch was imported before the AI job: nothing to measure")
    if variant == "before":
        sys.meta_path[:] = [f for f in sys.meta_path if type(f).__module__ != runtime_import.__name__]
    collections: list[float] = []
    started: list[float] = []

    def collected(phase, info) -> None:
        if info["generation"] == 2:
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                collections.append(time.perf_counter() - started.pop())

    gc.callbacks.append(collected)

    def others() -> float:
        return time.clock_gettime(time.CLOCK_PROCESS_CPUTIME_ID) - time.thread_time()

    gaps, holds, last = [], [], [time.perf_counter(), others()]

    def tick() -> None:
        now, other = time.perf_counter(), others()
        gaps.append(now - last[0])
        holds.append(other - last[1])
        last[:] = [now, other]

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    window.activateWindow()
    app.processEvents()
    last[:] = [time.perf_counter(), others()]
    timer.start()
    start = time.perf_counter()
    QTest.keyClick(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    actions = window.ai_actions
    _wait(app, lambda: getattr(actions, "dialog", None) is not None
          and actions.dialog.device_label.text() != CHECKING)
    loaded = time.perf_counter() - start
    settle = time.perf_counter() + 0.3
    _wait(app, lambda: time.perf_counter() > settle)
    timer.stop()
    gc.callbacks.remove(collected)
    runs_on = actions.dialog.device_label.text()
    actions.dialog.reject()
    window.close()
    app.processEvents()
    return {"gap_ms": 1000 * max(gaps), "hold_ms": 1000 * max(holds), "loaded_s": loaded,
            "full_collections": len(collections), "collections_ms": 1000 * sum(collections),
            "preloaded": runtime_import.preloaded, "runs_on": runs_on}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--child", choices=("before", "after"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.child)))
        sys.stdout.flush()
        os._exit(0)   # the measurement is out; the window's teardown is not measured
    env = dict(os.environ, NEUROVIEW_HOME=tempfile.mkdtemp(prefix="nv-home-"),
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(args.repeats):
        for variant in ("before", "after"):
            out = subprocess.run([sys.executable, __file__, "--child", variant], env=env, cwd=REPO,
                                 capture_output=True, text=True, timeout=600)
            if out.returncode != 0:
                print(out.stderr[-2000:], file=sys.stderr)
                return 1
            runs[variant].append(json.loads(out.stdout.strip().splitlines()[-1]))
    with open("/proc/loadavg") if os.path.exists("/proc/loadavg") else open(os.devnull) as f:
        load = f.read().split()[:3]
    print(f"AI > Segment's runtime load in the window, medians of {args.repeats} (load {' '.join(load)})")
    median = {v: {k: statistics.median(r[k] for r in rs) for k in ("gap_ms", "hold_ms", "loaded_s",
                                                                     "full_collections", "collections_ms")}
              for v, rs in runs.items()}
    for variant, m in median.items():
        print(f"  {variant:6s}: longest GUI gap {m['gap_ms']:.0f} ms, longest hold {m['hold_ms']:.0f} ms "
              f"of CPU, {m['full_collections']:.0f} full collections ({m['collections_ms']:.0f} ms), "
              f"device known after {m['loaded_s']:.1f} s; gaps {[round(r['gap_ms']) for r in runs[variant]]}")
    print(f"longest GUI gap after / before: {median['after']['gap_ms'] / median['before']['gap_ms']:.2f}; "
          f"hold after / before: {median['after']['hold_ms'] / median['before']['hold_ms']:.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
