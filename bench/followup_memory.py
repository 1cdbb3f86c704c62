"""Memory over File > Open follow-up... / close cycles: the process's resident memory and Python's
object count after each close (window freed, garbage collected), and the growth per cycle after
the second (the first ones fill library caches), with the objects that grew.

The cases are the follow-up window tests' (tests/ui/test_followup_window.py: three 3 mm heads
made from the MNI template; baseline and one later study here). Needs a display (xvfb-run).

Run: xvfb-run -a python bench/followup_memory.py [--cycles 20]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from neuroview.io.nifti import load_nifti  # noqa: E402
from tests.ui.test_followup_window import write_case  # noqa: E402


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def wait(app, condition, timeout=600.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the follow-up window did not come (or go)")
        app.processEvents()
        time.sleep(0.01)


def open_and_close(app, window, paths) -> None:
    from neuroview.ui.followup_open import start_followup

    before = getattr(window, "followup_window", None)
    start_followup(window, paths, extract_brain=False)
    wait(app, lambda: getattr(window, "followup_window", None) not in (None, before)
         and not window.runner.busy)
    view, gone = window.followup_window, []
    view.destroyed.connect(lambda: gone.append(True))
    view.close()
    del view
    wait(app, lambda: bool(gone))
    QApplication.sendPostedEvents(None, 0)
    gc.collect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1000, 760)
    window.show()
    folder = Path(tempfile.mkdtemp())
    write_case(load_nifti(ROOT / "resources" / "demo" / "mni152_t1_1mm.nii.gz"), folder)
    paths = {key: str(folder / f"{name}.nii.gz") for key, name in (
        ("baseline", "t1"), ("baseline_labels", "t1_lesions"), ("followup", "t2"),
        ("followup_labels", "t2_lesions"))}
    resident, second = [], None
    for cycle in range(1, args.cycles + 1):
        open_and_close(app, window, paths)
        resident.append(resident_mb())
        counts = Counter(type(o).__name__ for o in gc.get_objects())
        second = counts if cycle == 2 else second
        print(f"cycle {cycle:2d}: resident {resident[-1]:7.1f} MB, "
              f"{sum(counts.values())} Python objects", flush=True)
    if args.cycles > 2:
        per_cycle = (resident[-1] - resident[1]) / (args.cycles - 2)
        grown = (counts - second).most_common(12)
        print(f"after cycle 2: {per_cycle:+.2f} MB per cycle; objects grown: {grown or 'none'}")


if __name__ == "__main__":
    main()
