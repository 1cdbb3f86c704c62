"""Applies a model result to a case the way the window does (the step and the proposal made as a
worker makes them, then applied), printing ``prepared`` and ``applied`` after each part, then
waits to be killed (for the SIGKILL test of a model result).

Usage: python model_result_child.py IMAGE WORKSPACE
"""

import sys
import time
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
    case = Case(Session.open(image, workspace=workspace), workspace)
    labels = model_labels(case.labels.shape)
    names = {1: "lesion", 2: "brain"}
    prepared = case.prepare_model_result(case.model_result_snapshot(), labels, names, "m@1", hidden={2})
    print("prepared", flush=True)
    case.apply_model_result(labels, names, "m@1", hidden={2}, prepared=prepared)
    print("applied", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    main()
