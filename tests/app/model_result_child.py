"""Applies a model result to a case the way the window does (the step and the proposal made as a
worker makes them, then applied), printing ``prepared``, ``journaled`` (the step is in the
journal and the views are told, its proposal file not renamed yet) and ``applied`` after each
part and then waiting for a line on stdin before going on, so the SIGKILL test of a model result
kills it exactly there (a kill racing the next part made the test fail by chance under load).
MODE ``worker`` (the default) applies the worker's step as made; ``gui`` gives no worker's step
(the GUI thread makes it all); ``stale`` adds a segment after the worker made its step, so the
step no longer fits and the GUI thread makes it again.

Usage: python model_result_child.py IMAGE WORKSPACE [MODE]
"""

import sys
from pathlib import Path

import numpy as np


def model_labels(shape) -> np.ndarray:
    labels = np.zeros(shape, np.uint8)
    labels[10:40, 10:50, 10:40] = 2          # "brain"
    labels[20:25, 20:30, 20:25] = 1          # "lesion"
    return labels


def main() -> None:
    from neuroview.app.case import Case
    from neuroview.app.session import Session

    image, workspace = sys.argv[1], Path(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "worker"
    case = Case(Session.open(image, workspace=workspace), workspace)
    labels = model_labels(case.labels.shape)
    names = {1: "lesion", 2: "brain"}
    prepared = None
    if mode != "gui":
        prepared = case.prepare_model_result(case.model_result_snapshot(), labels, names, "m@1", hidden={2})
        _stop("prepared")
    if mode == "stale":   # an edit while the worker ran: its step is made again
        case.session.segments.add("mine")
    case.session.subscribe(lambda event: _stop("journaled") if event.kind == "commit" else None)
    case.apply_model_result(labels, names, "m@1", hidden={2}, prepared=prepared)
    _stop("applied")


def _stop(stage: str) -> None:
    """Tell the test ``stage`` is done and wait until it says go on (or kills this process)."""
    print(stage, flush=True)
    sys.stdin.readline()


if __name__ == "__main__":
    main()
