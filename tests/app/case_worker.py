"""Edits a case with an editing clock that advances 7 s per reading, printing the editing time
after each committed stroke (for the SIGKILL test of the editing time).

Usage: python case_worker.py IMAGE WORKSPACE N_STROKES
"""

import itertools
import sys
import time
from pathlib import Path

from paint_worker import run_stroke


def main() -> None:
    from neuroview.app.case import Case
    from neuroview.app.edit_clock import EditClock
    from neuroview.app.session import Session

    image, workspace, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ticks = itertools.count()
    clock = EditClock(lambda: 7.0 * next(ticks))
    case = Case(Session.open(image, workspace=workspace), Path(workspace), clock=clock)
    session = case.session
    session.segments.add("one")
    session.segments.add("two")
    centre = session.volume.center_ras
    for n in range(count):
        run_stroke(session, n, centre, on_drag=lambda: time.sleep(0.002))
        print(f"committed {n} {case.clock.seconds}", flush=True)


if __name__ == "__main__":
    main()
