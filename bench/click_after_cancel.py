"""The wait for an AI click answer when the answer before it was abandoned (Esc) while the model
still ran, against the same answer with nothing in flight.

    PYTHONPATH=CHECKOUT nice -n 10 python CHECKOUT/bench/click_after_cancel.py [--repeats 5]

The MNI head, the bundled AI click network on the CPU, one include click in the brain. Each
repeat, alternating: ``alone``: the wall time of ``PromptSession.compute`` with nothing else
running; ``after Esc``: an answer started on a worker thread, its cancel token set 50 ms into
it (what Esc does), then the new answer's wall time from its start (the click) to its return.
Prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from neuroview import Session
    from neuroview.ai.interactive.model import NetworkPromptModel
    from neuroview.ai.interactive.prompts import PointPrompt
    from neuroview.app.prompting import PromptSession
    from neuroview.core.errors import Cancelled
    from neuroview.core.jobs import CancelToken
    from neuroview.io.nifti import load_nifti

    volume = load_nifti(REPO / "resources" / "demo" / "mni152_t1_1mm.nii.gz")
    session = Session(volume)
    value = session.segments.add("lesion").value
    prompts = PromptSession(session, value, NetworkPromptModel())
    centre = volume.ijk_to_ras @ np.append(np.asarray(volume.shape[:3]) / 2 + [0, 20, 10], 1.0)
    prompts.prompts.add(PointPrompt(tuple(centre[:3]), True))
    prompts.compute(1)   # the model and the image's statistics loaded

    def abandoned() -> None:
        token = CancelToken()
        worker = threading.Thread(target=lambda: _quiet(prompts.compute, token, Cancelled))
        worker.start()
        time.sleep(0.05)
        token.cancel()
        return worker

    alone, after = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        prompts.compute(1)
        alone.append(time.perf_counter() - start)
        worker = abandoned()
        start = time.perf_counter()
        prompts.compute(1)
        after.append(time.perf_counter() - start)
        worker.join()
    a, b = statistics.median(alone), statistics.median(after)
    print(f"alone {a * 1000:.0f} ms  after Esc {b * 1000:.0f} ms  ratio {b / a:.2f}  "
          f"(alone {[round(x * 1000) for x in alone]}, after {[round(x * 1000) for x in after]})")


def _quiet(compute, token, cancelled) -> None:
    try:
        compute(1, token)
    except cancelled:
        pass


if __name__ == "__main__":
    main()
