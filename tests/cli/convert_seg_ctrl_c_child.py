"""``neuroview convert`` as a user runs it (``sys.argv``), with the parse of the ``--labels``
DICOM SEG's header (``io.seg.read_segmentation``: pydicom and highdicom, seconds for a CT's SEG)
made one long C call that outlasts any test (numpy matrix products: Python's signal handler
runs only between two): it says ``seg read running`` on stderr as it starts, and leaves
``READ_ENDED`` (the path given last) once it returns (the process then waited for it)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from neuroview.cli.main import main
from neuroview.io import seg

ENDED: list = []


def long_read(*args, **kwargs):
    a = np.ones((3000, 3000))
    try:
        print("seg read running", file=sys.stderr, flush=True)
        for _ in range(1000):
            a = (a @ a) * 1e-4
    finally:
        ENDED[0].write_text("the read ended")


if __name__ == "__main__":
    ENDED.append(Path(sys.argv.pop()))
    seg.read_segmentation = long_read
    sys.exit(main())
