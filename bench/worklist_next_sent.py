"""What *Next case* costs with its look at the training set (``ui/worklist_sent_check.py``): the
click until the next case is on screen, on a worklist of 20 cases (128x128x96 float32 NIfTI, each
its own voxels), the training set holding case 2 (added with ``dataset add``, as the lead does),
against reading one case's voxels (``io.load``, summed: the reference, in the same run). "first": the
next case's identity not yet known (read, hashed); "known": the same Next again, its identity
kept by path, size and time. Median of the rounds; prints the load. Run it on the worktree's
code and on another's (``PYTHONPATH``) to compare.

    QT_QPA_PLATFORM=offscreen nice -n 10 python bench/worklist_next_sent.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _cases(folder: Path, count: int) -> list[Path]:
    from neuroview.io.nifti import save_nifti

    grid = np.indices((128, 128, 96), dtype=np.float32)
    head = 800.0 * (((grid[0] - 64) / 50) ** 2 + ((grid[1] - 64) / 56) ** 2
                    + ((grid[2] - 48) / 40) ** 2 < 1)
    paths = []
    for number in range(count):
        path = folder / f"case{number + 1:02d}.nii.gz"
        save_nifti(np.roll(head, number, axis=0) + number, np.diag([1.5, 1.5, 2.0, 1.0]), path)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="nv-next-bench-"))
    os.environ["NEUROVIEW_HOME"] = str(root / "home")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from neuroview.app.last_dataset import remember_dataset
    from neuroview.cli.main import main as neuroview
    from neuroview.dataset.layout import init_dataset
    from neuroview.io import load
    from neuroview.io.nifti import save_nifti
    from neuroview.ui.main_window import MainWindow

    cases = root / "cases"
    cases.mkdir()
    paths = _cases(cases, 20)
    dataset = init_dataset(root, "Lesions", ["background", "lesion"])
    mask = np.zeros((128, 128, 96), np.uint8)
    mask[60:70, 60:70, 40:50] = 1
    save_nifti(mask, np.diag([1.5, 1.5, 2.0, 1.0]), root / "mask.nii.gz")
    neuroview(["dataset", "add", str(dataset), "--image", str(paths[1]), "--labels",
               str(root / "mask.nii.gz")])
    remember_dataset(dataset, "bench")
    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    actions = window.training_actions

    def wait(done) -> float:
        start = time.perf_counter()
        while not done():
            app.processEvents()
            time.sleep(0.002)
        return time.perf_counter() - start

    def idle() -> bool:
        return not window.runner.busy and actions.opening is None

    actions.open_worklist(cases, case_id=paths[0].name)
    wait(lambda: window.editor.session is not None and idle())
    opens, firsts, knowns = [], [], []
    for number in range(args.rounds):
        here, there = paths[2 + 2 * number].name, paths[3 + 2 * number]
        for times in (firsts, knowns):   # its identity read, then known
            actions.go_to_case(here)
            wait(lambda here=here: actions.worklist_id == here and idle())
            start = time.perf_counter()
            actions.next_case()
            wait(lambda there=there: actions.worklist_id == there.name and idle())
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        float(np.asarray(load(there).array).sum())   # read whole (nibabel reads lazily)
        opens.append(time.perf_counter() - start)
    # case 1 -> case 3 over case 2, which the training set holds
    actions.go_to_case(paths[0].name)
    wait(lambda: actions.worklist_id == paths[0].name and idle())
    start = time.perf_counter()
    actions.next_case()
    wait(lambda: actions.worklist_id != paths[0].name and idle())
    over = time.perf_counter() - start
    reference = statistics.median(opens)
    import neuroview as code
    print(f"code: {Path(code.__file__).parents[1]}; load {os.getloadavg()[0]:.1f}; {args.rounds} rounds, "
          "20 cases of 128x128x96 float32")
    print(f"io.load of a case (reference): {reference:.3f} s")
    for name, times in (("Next case, identity first read", firsts),
                        ("Next case, identity known", knowns)):
        median = statistics.median(times)
        print(f"{name}: {median:.3f} s ({median / reference:.2f}x the read)")
    print(f"Next case from case 1 went to {actions.worklist_id} in {over:.3f} s "
          f"({over / reference:.2f}x the read)")
    check = getattr(actions, "sent_check", None)
    if check is not None:   # this code: the look alone, 20 cases' identities known
        from neuroview.dataset.worklist_sent import sent_already

        every = [c for c in actions.worklist.cases if c.status != "in_training_set"]
        times = []
        for _ in range(args.rounds + 1):   # the first round reads the identities not known yet
            start = time.perf_counter()
            for case in every:   # each case looked up as the first of a look
                sent_already(dataset, [case], check.cache)
            times.append(time.perf_counter() - start)
        times = times[1:]
        print(f"the look at {len(every)} cases, identities known: {statistics.median(times):.4f} s "
              f"({statistics.median(times) / reference:.2f}x the read)")
    sys.stdout.flush()
    os._exit(0)   # no window teardown to time or wait for


if __name__ == "__main__":
    sys.exit(main())
