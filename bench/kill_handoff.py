"""ben finishes anna's saved labels and is SIGKILLed at random moments: does the restored case
still name anna's editing session and ben's, with at least the time ben had committed, and ben's
own saved file once? (``tests/app/handoff_worker.py``, forked and killed after a random delay, many times.)

Usage: PYTHONPATH=. python bench/kill_handoff.py [--kills 40] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import nibabel as nib
import numpy as np


def main() -> None:
    from neuroview.app.case import Case
    from neuroview.app.edit_clock import EditClock
    from neuroview.app.session import Session
    from neuroview.core.segment_work import merge_work
    from tests.app.handoff_worker import annas_labels, ben_edits_then_saves, work_of
    from tests.durability import fork_killed

    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kill_handoff-"))
    image = root / "small.nii.gz"
    data = np.random.default_rng(0).random((66, 78, 63), np.float32) * 100
    nib.save(nib.Nifti1Image(data, np.diag([3.0, 3.0, 3.6, 1.0])), image)
    anna_file, anna_work = annas_labels(image, root)
    rng, seen, wrong = random.Random(args.seed), {"loaded": 0, "saved": 0}, 0
    for attempt in range(args.kills):
        workspace, own = root / f"ws{attempt}", root / f"ben{attempt}.nii.gz"
        code, err = fork_killed(lambda *a: ben_edits_then_saves(*a, out=sys.stderr), image, workspace,
                                anna_file, own, delay=rng.uniform(0.2, 2.5))
        assert code == -signal.SIGKILL, err
        lines = err.splitlines()
        ben = Case(Session.open(image, workspace=workspace), workspace, clock=EditClock(lambda: 0.0))
        work = ben.work_done("ben")
        committed = [float(line.split()[1]) for line in lines if line.startswith("committed")]
        mine = [w for w in work if w["annotator"] == "ben"]
        right = True
        if "loaded" in lines:
            seen["loaded"] += 1
            right &= work[0] == anna_work[0]
        if committed:
            right &= bool(mine) and mine[0]["editing_seconds"] >= committed[-1] \
                and mine[0]["session"] == ben.work_session
        if any(line.startswith("saved") for line in lines):
            seen["saved"] += 1
            together = merge_work(work_of(own), work)
            right &= [w["annotator"] for w in together] == ["anna", "ben"] \
                and together[1]["editing_seconds"] == mine[0]["editing_seconds"]
        wrong += not right
        ben.close()
    print(f"{args.kills} kills: {seen['loaded']} after anna's labels were loaded, {seen['saved']} after "
          f"one of ben's saves at least; {wrong} restored without every annotator's time")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
