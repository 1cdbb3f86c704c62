"""*AI > Segment* in the window against ``neuroview segment`` on the same image, alternating.

Each run is its own process. The window's run opens the image in a real MainWindow (offscreen),
calls *Segment* (``lesionseg``, CPU) and times it until the result's notice shows, with the GUI
thread in Qt's event loop as in the application. ``--qwait`` also times the window driven as
the session 45 walk drove it: a Python loop of ``QTest.qWait(50)``, which keeps the GIL while it
waits, so that the model's worker thread, which takes the GIL back after every torch operation,
waits too (7 Dec 2026, load 7-8: median 15.3 s in the event loop, 175.9 s under ``qWait``,
``neuroview segment`` 11.3 s).

    python bench/window_segment.py [--repeats 3] [--input resources/demo/mni152_t1_lesions.nii.gz] [--qwait]
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


def window_child(path: str, driver: str) -> None:
    """Print the seconds from *Segment* to the result's notice, as JSON."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1500, 960)
    window.show()
    window.open_paths([path])

    def until(ready, limit: float) -> None:
        end = time.monotonic() + limit
        if driver == "qwait":
            while not ready() and time.monotonic() < end:
                QTest.qWait(50)
            return
        loop, timer = QEventLoop(), QTimer()
        timer.timeout.connect(lambda: loop.quit() if ready() or time.monotonic() > end else None)
        timer.start(50)
        loop.exec()
        timer.stop()

    until(lambda: window.editor.case is not None and not window.runner.busy, 120)
    if window.editor.case is None:
        raise SystemExit(f"{path}: the window did not open it")
    started = time.perf_counter()
    window.ai_actions.segment("lesionseg", "cpu")
    until(lambda: " on cpu" in window.notice_bar.text, 900)
    seconds = time.perf_counter() - started
    if " on cpu" not in window.notice_bar.text:
        raise SystemExit("no result within 900 s")
    print(json.dumps({"seconds": seconds, "notice": window.notice_bar.text.split(". Correct")[0]}))
    app.processEvents()


def timed_window(path: str, driver: str) -> float:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run([sys.executable, __file__, "--child", driver, "--input", path],
                             capture_output=True, text=True, cwd=REPO,
                             env={**os.environ, "NEUROVIEW_HOME": home}, check=True).stdout
    line = json.loads(out.strip().splitlines()[-1])
    print(f"  window ({driver}): {line['seconds']:.1f} s, {line['notice']}", flush=True)
    return line["seconds"]


def timed_cli(path: str) -> float:
    with tempfile.TemporaryDirectory() as home:
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "neuroview", "segment", path, "-o",
                              str(Path(home) / "seg.nii.gz"), "--model", "lesionseg", "--device", "cpu"],
                             capture_output=True, text=True, cwd=REPO,
                             env={**os.environ, "NEUROVIEW_HOME": home}, check=True).stdout
        seconds = time.perf_counter() - started
    print(f"  cli: {seconds:.1f} s, {out.strip().splitlines()[-1].split('(')[-1]}", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--input", default=str(DEMO))
    parser.add_argument("--qwait", action="store_true", help="also time the window under QTest.qWait")
    parser.add_argument("--child", choices=["loop", "qwait"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        window_child(args.input, args.child)
        return
    times: dict[str, list[float]] = {"cli": [], "loop": [], "qwait": []}
    for repeat in range(args.repeats):
        print(f"repeat {repeat + 1}, load average {os.getloadavg()[0]:.1f}", flush=True)
        times["cli"].append(timed_cli(args.input))
        times["loop"].append(timed_window(args.input, "loop"))
        if args.qwait:
            times["qwait"].append(timed_window(args.input, "qwait"))
    cli = statistics.median(times["cli"])
    for driver in ("loop", "qwait"):
        if times[driver]:
            median = statistics.median(times[driver])
            print(f"window ({driver}) median {median:.1f} s, cli median {cli:.1f} s "
                  f"(whole process), window/cli {median / cli:.2f}")


if __name__ == "__main__":
    main()
