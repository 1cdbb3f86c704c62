"""Benchmark: the longest key of a path typed into *File > Open follow-up...*'s follow-up field,
the demo head on screen (so the dialog places it by the other study's StudyDate), the path that of
a folder of 20,000 files and a file in it, key by key.

Before session 42 each key read the study date of the path so far on the GUI thread
(``io.dicom.study_date``: ``os.walk`` of the typed folder, so every key that left a folder in the
field listed it); now it is read in a thread (``ui.study_dates``). "before" is replayed in the same
code: ``StudyDates.date`` reading the date where it is asked. Each key is timed from the key press
to its return (the GUI thread's share), the reference is the slice views' repaint in the same run.
Printed: medians over ``--repeats`` fresh runs, in ms and as ratios to the reference.

Run: QT_QPA_PLATFORM=offscreen PYTHONPATH=. python bench/followup_typing.py [--repeats 5]
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
FILES = 20_000


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / f"nv-typing-{FILES}"
    if not (folder / f"IM{FILES - 1:05d}").exists():
        folder.mkdir(exist_ok=True)
        for n in range(FILES):
            (folder / f"IM{n:05d}").touch()
    return folder


def _run_once(mode: str) -> dict:
    sys.path.insert(0, str(REPO / "bench"))
    from open_hold import _wait, shown_with
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from neuroview.io.dicom.study_date import study_date
    from neuroview.ui.followup_open import OpenFollowupDialog
    from neuroview.ui.followup_prefill import prefill
    from neuroview.ui.study_dates import StudyDates

    if mode == "before":   # the date read where it is asked, on the GUI thread
        StudyDates.date = lambda self, path: study_date(path)
    app, window = shown_with(DEMO)
    reference = []
    for _ in range(5):
        start = time.perf_counter()
        for view in window.slice_views.values():
            view.repaint()
        reference.append(time.perf_counter() - start)
    dialog = OpenFollowupDialog(window)
    dialog.on_screen = prefill(dialog, window)
    dialog.show()
    edit = dialog.edits["followup"]
    edit.setFocus()
    import pydicom  # noqa: F401  (imported by the first date read: not a key's cost here)

    keys = []
    for char in f"{_folder()}{os.sep}IM00007":
        start = time.perf_counter()
        QTest.keyClick(edit, char, Qt.NoModifier)
        keys.append(time.perf_counter() - start)
        app.processEvents()
    end = time.perf_counter() + 0.5
    _wait(app, lambda: time.perf_counter() > end)   # the last date arrives
    dialog.close()
    return {"slowest": max(keys), "reference": sorted(reference)[2], "keys": len(keys)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--once", metavar="MODE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("NEUROVIEW_HOME", tempfile.mkdtemp(prefix="nv-typing-"))
    if args.once:
        print(json.dumps(_run_once(args.once)))
        return 0
    _folder()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    results: dict = {}
    for _ in range(args.repeats):
        for mode in ("before", "now"):
            done = subprocess.run([sys.executable, __file__, "--once", mode], env=env,
                                  capture_output=True, text=True, timeout=300)
            if done.returncode:
                print(done.stderr[-2000:], file=sys.stderr)
                return 1
            results.setdefault(mode, []).append(json.loads(done.stdout.splitlines()[-1]))

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    print(f"demo head on screen, a folder of {FILES} files typed key by key "
          f"({results['now'][0]['keys']} keys), median of {args.repeats} fresh runs, load average "
          f"{os.getloadavg()[0]:.1f}")
    line = []
    for mode in ("before", "now"):
        runs = results[mode]
        line.append(f"{mode} {1000 * median([r['slowest'] for r in runs]):.0f} ms "
                    f"({median([r['slowest'] / r['reference'] for r in runs]):.1f}x the views' repaint)")
    ratio = median([r["slowest"] for r in results["now"]]) / median([r["slowest"] for r in results["before"]])
    print(f"slowest key: {', '.join(line)}; now/before {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
