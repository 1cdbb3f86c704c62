"""The ``neuroview`` command line."""

import os
import sys
from pathlib import Path

ONE_BLAS_THREAD_VERBS = ("convert", "info")
"""Verbs that do no linear algebra worth a thread pool (they read, reorder and write voxels)."""


def _one_blas_thread(argv: list[str]) -> None:
    """``OPENBLAS_NUM_THREADS=1`` for ``neuroview convert`` and ``info``, unless set already.

    numpy's OpenBLAS starts one spinning thread per core at ``import numpy``: about 0.07 s of
    CPU (measured, 2 cores), a sixth of converting a small folder. It only matters before numpy
    is imported, so it runs when this package is imported by the ``neuroview`` command (the
    console script or ``python -m neuroview``), before ``cli.main`` imports numpy."""
    if "numpy" in sys.modules or len(argv) < 2 or argv[1] not in ONE_BLAS_THREAD_VERBS:
        return
    program = Path(argv[0])
    if program.stem == "neuroview" or (program.name == "__main__.py"
                                       and program.parent.name == "neuroview"):
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


_one_blas_thread(sys.argv)
