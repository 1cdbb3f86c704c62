"""What ``bench/load.py`` runs as child processes: dcm2niix and ``neuroview convert``, each
timed with its CPU seconds; and the check that dcm2niix writes the same volumes as convert
(a fair reference) before they are timed against each other."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

DCM2NIIX = str(Path(sys.executable).with_name("dcm2niix"))
try:  # the executable itself: the PyPI package's ``dcm2niix`` script starts Python to run it
    from dcm2niix import bin as DCM2NIIX  # noqa: N812
except ImportError:
    pass


def run_process(cmd, env=None):
    """Wall seconds of one child process; its CPU seconds (user + sys, children included) are
    appended to ``LAST_CPU``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # from a neutral folder: ``python -m neuroview`` puts the current folder first on the path,
    # so run from a checkout it would import that checkout whatever PYTHONPATH says
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr[-500:]}")
    LAST_CPU.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    LAST_USER.append(after.ru_utime - before.ru_utime)
    return elapsed


LAST_CPU: list[float] = []
LAST_USER: list[float] = []
"""User time alone: the system time of reading and writing 150 MB varies most with the other
work on a shared machine (0.05-0.6 s for the same write), user time least."""


def child_env() -> dict:
    """The environment of a ``neuroview`` child process: this checkout first on the path, and
    Python's bytecode cache on, as an installed program has it (a sandbox that sets
    PYTHONDONTWRITEBYTECODE makes every run compile neuroview's modules again: +0.08 s CPU)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cpu_of(cmd, env=None) -> float:
    """User + system CPU seconds of one child process (less sensitive to the machine's load
    than wall time)."""
    run_process(cmd, env)
    return LAST_CPU[-1]


def check_reference(folder: Path) -> None:
    """Stop unless dcm2niix and ``neuroview convert`` (both without gzip) write the same volumes:
    each of convert's files must equal one of dcm2niix's, voxel for voxel at the same RAS
    positions (dcm2niix flips rows: its affine maps the same points to other indices), with the
    same data type and no scaling on either side. A reference that reads the files wrong would
    time other work (values near 1e-30 compress far better than the voxels)."""
    import nibabel as nib

    with tempfile.TemporaryDirectory() as tmp:
        d2n_out, nv_out = Path(tmp) / "d2n", Path(tmp) / "nv"
        d2n_out.mkdir()
        run_process([DCM2NIIX, "-z", "n", "-b", "n", "-o", str(d2n_out), str(folder)])
        run_process([sys.executable, "-m", "neuroview", "convert", str(folder), str(nv_out),
                     "--no-gzip"], env=child_env())
        theirs = [nib.load(p) for p in sorted(d2n_out.glob("*.nii"))]
        ours = [nib.load(p) for p in sorted(nv_out.glob("*.nii"))]
        for image in ours:
            if not any(_same_in_world(image, other) for other in theirs):
                raise SystemExit(f"dcm2niix does not give {image.get_filename()}'s volume: "
                                 "not a fair reference")
        print(f"  reference checked: each of convert's {len(ours)} files equals one of "
              f"dcm2niix's {len(theirs)} at the same RAS positions (dtype, no scaling)")


def _same_in_world(ours, theirs) -> bool:
    """The same voxels at the same positions: the index map between the two grids is a signed
    permutation with an integer shift, and the arrays agree under it."""
    if ours.get_data_dtype() != theirs.get_data_dtype() or len(ours.shape) != len(theirs.shape):
        return False
    for image in (ours, theirs):
        slope, inter = image.header.get_slope_inter()
        if slope not in (None, 1.0) or inter not in (None, 0.0):
            return False
    ijk_map = np.linalg.inv(theirs.affine) @ ours.affine
    linear, shift = np.rint(ijk_map[:3, :3]), np.rint(ijk_map[:3, 3])
    if not (np.allclose(ijk_map[:3, :3], linear, atol=1e-4)
            and np.allclose(ijk_map[:3, 3], shift, atol=1e-3)
            and sorted(np.abs(linear).sum(0)) == [1, 1, 1]):
        return False
    data = np.asarray(ours.dataobj)
    index = [slice(None)] * data.ndim
    axes = [int(np.flatnonzero(linear[:, j])[0]) for j in range(3)]
    for j in range(3):
        flipped = linear[axes[j], j] < 0
        if shift[axes[j]] != (data.shape[j] - 1 if flipped else 0):
            return False
        if flipped:
            index[j] = slice(None, None, -1)
    moved = np.moveaxis(data[tuple(index)], [0, 1, 2], axes)
    return moved.shape == theirs.shape and np.array_equal(moved, np.asarray(theirs.dataobj))
