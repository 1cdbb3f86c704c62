"""ben finishes anna's saved labels in his own workspace, saving his now and then, and prints a
line after each step (for the SIGKILL tests of the annotators' time, ``test_work_handoff`` and
``bench/kill_handoff.py``): ``loaded``, ``committed SECONDS`` after each stroke, ``saved SECONDS``.

Usage: python handoff_worker.py IMAGE WORKSPACE ANNA_FILE OWN_FILE
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path


def open_case(image, workspace, step_s: float):
    """A ``Case`` on ``image`` in ``workspace`` whose editing clock advances ``step_s`` a reading."""
    from neuroview.app.case import Case
    from neuroview.app.edit_clock import EditClock
    from neuroview.app.session import Session

    ticks, workspace = itertools.count(), Path(workspace)
    return Case(Session.open(image, workspace=workspace), workspace,
                clock=EditClock(lambda: step_s * next(ticks)))


def paint(case, strokes: int, shift: float = 0.0) -> None:
    """``strokes`` 5 mm 3D strokes of segment "lesion" (added when missing), 4 mm apart along x."""
    if "lesion" not in case.session.segments:
        case.session.segments.add("lesion")
    centre = case.volume.center_ras
    for n in range(strokes):
        case.session.apply("paint", at_ras=centre + [shift + 4.0 * n, 0, 0], radius_mm=5,
                           segment=case.session.segments["lesion"], mode="3d")


def work_of(path) -> list:
    """The work entries the sidecar of the saved label file ``path`` names."""
    from neuroview.app.label_files import sidecar_path

    return json.loads(sidecar_path(path).read_text())[0]["work"]


def annas_labels(image, folder: Path) -> tuple[Path, list]:
    """anna's case of ``image`` (workspace ``folder/ws-anna``), 2 strokes painted, saved as
    ``folder/anna.nii.gz`` and closed: that file and the work its sidecar names."""
    anna = open_case(image, folder / "ws-anna", 10.0)
    paint(anna, 2)
    anna_file = folder / "anna.nii.gz"
    anna.save_labels(anna_file, annotator="anna")
    anna.close()
    return anna_file, work_of(anna_file)


def ben_edits_then_saves(image, workspace, anna_file, own_file, out=None) -> None:
    out = out or sys.stdout
    ben = open_case(image, workspace, 7.0)
    ben.session.load_labels(anna_file)
    print("loaded", file=out, flush=True)
    for n in range(400):
        paint(ben, 1, shift=-40.0 + (n % 20) * 3.0)
        print(f"committed {ben.clock.seconds}", file=out, flush=True)
        if n % 3 == 2:
            ben.save_labels(own_file, annotator="ben")   # compacts the journal: the base moves on
            print(f"saved {ben.clock.seconds}", file=out, flush=True)


if __name__ == "__main__":
    ben_edits_then_saves(*sys.argv[1:5])
