"""Benchmark: saving a label map as .nii.gz with one gzip thread against several, nibabel's save beside.

*Save labels* writes the window's label map (uint8, C-ordered in memory) through
``io.nifti.save_nifti``: its own writer puts the voxels in NIfTI's order a piece at a time and
compresses them with :func:`neuroview.io.nifti.gzip_writer` (ISA-L at level 1; from
``THREADED_GZIP_MIN_BYTES`` on in ``min(4, cores)`` threads). Here, for a 256^3 and a 512x512x300
label map, each of two kinds (``balls``: a big ball and a small one, as after a model's result;
``ragged``: the same with 3% of the voxels in a shell around the big ball's edge flipped, as a
model's ragged edge), ``--repeats`` times each in turn (their order rotated per round):

- ``nibabel``: ``nib.save`` of the same image (nibabel's own writer: zlib level 1, a slice at a
  time), the reference;
- ``zlib 1 thread``: this writer through Python's ``gzip`` (as without ``isal`` installed);
- ``isal 1 thread``: ISA-L's ``igzip`` in the calling thread;
- ``isal 2 threads`` and ``isal 4 threads``: ISA-L's ``igzip_threaded`` (1 MiB blocks compressed
  in that many threads, one gzip member; 2 is what a 2-core machine gets by default).

Prints per case the median wall and CPU seconds (the process's, every thread's; and the calling
thread's, about what the save takes on a quiet machine with a core free for the compressing
threads) of the save, the
ratios of the medians to nibabel's, the file's size, and the median and 90th percentile of a
millisecond's work (:func:`step`) done again and again on the calling thread while a worker
thread saves again (as the GUI thread goes on during *Save labels*); and checks each writer's file: read back
by nibabel to the same voxels and affine, and byte-identical when written again. Files are written
atomically without fsync (``durable=False``: the disk's flush is the same for every case).
Prints ``uptime`` first and last.

Run: python bench/label_gzip.py [--repeats 5] [--folder /tmp/label_gzip] [--cases "isal 1 thread,..."]
     [--shapes 256^3,512x512x300] [--kinds balls,ragged]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.core import geometry  # noqa: E402
from neuroview.io import nifti  # noqa: E402

SHAPES = {"256^3": (256, 256, 256), "512x512x300": (512, 512, 300)}


def label_map(shape: tuple, ragged: bool) -> np.ndarray:
    """A big ball (label 2, radius 0.35 of the smallest side) and a small one (label 1) in a
    C-ordered uint8 map; ``ragged``: 3% of the voxels within 3 of the big ball's edge flipped."""
    labels = np.zeros(shape, np.uint8)
    r = 0.35 * min(shape)
    i, j, k = (np.arange(n, dtype=np.float32) - n / 2 for n in shape)
    squared = i[:, None, None] ** 2 + j[None, :, None] ** 2 + k[None, None, :] ** 2
    labels[squared < r * r] = 2
    small = ((i[:, None, None] + r / 3) ** 2 + (j[None, :, None] - r / 4) ** 2
             + (k[None, None, :] - r / 5) ** 2) < (r / 4.5) ** 2
    labels[small] = 1
    if ragged:
        shell = np.flatnonzero((squared > (r - 3) ** 2) & (squared < (r + 3) ** 2))
        flip = shell[np.random.default_rng(7).random(shell.size) < 0.03]
        flat = labels.reshape(-1)
        flat[flip] = np.where(flat[flip] == 2, 0, 2)
    return labels


def step() -> None:
    """About a millisecond of work on the calling thread, numpy and Python, as a brush stroke's."""
    block = np.arange(32768, dtype=np.float32).reshape(32, 32, 32)
    for _ in range(80):
        block = np.sqrt(block + 1.0)


def steps_during(case: str, labels: np.ndarray, affine: np.ndarray, path: Path) -> list[float]:
    """Seconds of each :func:`step` on this thread while a worker thread saves (as *Save labels*
    runs in the window's worker, the GUI thread going on)."""
    worker = threading.Thread(target=save, args=(case, labels, affine, path))
    times = []
    worker.start()
    while worker.is_alive():
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    worker.join()
    return times


@contextlib.contextmanager
def writer(case: str):
    """``io.nifti``'s gzip writer set as ``case`` names it (``nibabel`` leaves it alone)."""
    import isal

    threads = {"zlib 1 thread": None, "isal 1 thread": 1, "isal 2 threads": 2, "isal 4 threads": 4}
    saved = (nifti.THREADED_GZIP_MIN_BYTES, nifti.os.cpu_count, sys.modules.get("isal"))
    n = threads.get(case)
    if case.startswith("zlib"):
        sys.modules["isal"] = None   # import isal raises ImportError: Python's gzip
    elif n == 1:
        nifti.THREADED_GZIP_MIN_BYTES = 1 << 62
    elif n:
        nifti.THREADED_GZIP_MIN_BYTES = 0
        nifti.os.cpu_count = lambda: n   # min(4, cores) threads
    try:
        yield
    finally:
        nifti.THREADED_GZIP_MIN_BYTES, nifti.os.cpu_count = saved[:2]
        sys.modules["isal"] = isal


def save(case: str, labels: np.ndarray, affine: np.ndarray, path: Path) -> None:
    if case == "nibabel":
        import nibabel as nib

        img = nib.Nifti1Image(labels, affine)
        img.set_sform(affine, code=1)
        img.set_qform(affine, code=1)
        nib.save(img, path)
        return
    with writer(case):
        nifti.save_nifti(labels, affine, path, durable=False)


def timed(case: str, labels: np.ndarray, affine: np.ndarray, path: Path) -> tuple[float, float, float]:
    """(wall, CPU, the calling thread's CPU) seconds of one save."""
    wall, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
    save(case, labels, affine, path)
    return time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - own


def check(case: str, labels: np.ndarray, affine: np.ndarray, folder: Path) -> str:
    """'' when nibabel reads the file back to the same voxels and affine and a second save is
    byte-identical; else what differs."""
    import nibabel as nib

    digests = []
    for n in range(2):
        path = folder / f"check{n}.nii.gz"
        save(case, labels, affine, path)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    back = nib.load(folder / "check0.nii.gz")
    problems = []
    if not np.array_equal(np.asarray(back.dataobj), labels):
        problems.append("voxels differ")
    if not np.allclose(back.affine, affine):
        problems.append("affine differs")
    if digests[0] != digests[1]:
        problems.append("two saves differ")
    return ", ".join(problems)


def timed_step() -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


CASES = ["nibabel", "zlib 1 thread", "isal 1 thread", "isal 2 threads", "isal 4 threads"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/label_gzip"))
    parser.add_argument("--cases", default=",".join(CASES), help="nibabel is always among them")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--kinds", default="balls,ragged")
    args = parser.parse_args()
    cases = ["nibabel"] + [case for case in CASES[1:] if case in args.cases.split(",")]
    args.folder.mkdir(parents=True, exist_ok=True)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    affine = geometry.affine_from_spacing((1.0, 1.0, 1.0), (-128.0, -128.0, -128.0))
    with tempfile.TemporaryDirectory(dir=args.folder) as scratch:
        folder = Path(scratch)
        for shape_name in args.shapes.split(","):
            shape = SHAPES[shape_name]
            for kind in args.kinds.split(","):
                labels = label_map(shape, kind == "ragged")
                times: dict[str, list] = {case: [] for case in cases}
                during: dict[str, list] = {case: [] for case in cases}
                sizes = {}
                for case in cases:   # imports and first writes, not counted; the checks
                    problem = check(case, labels, affine, folder)
                    sizes[case] = (folder / "check0.nii.gz").stat().st_size
                    if problem:
                        print(f"  {case}: {problem}")
                for n in range(args.repeats):
                    for case in cases[n % len(cases):] + cases[:n % len(cases)]:
                        times[case].append(timed(case, labels, affine, folder / "out.nii.gz"))
                        during[case] += steps_during(case, labels, affine, folder / "out.nii.gz")
                idle = [timed_step() for _ in range(50)]
                print(f"{shape_name} uint8 label map ({labels.nbytes / 2**20:.0f} MiB), {kind}, "
                      f"median of {args.repeats}:")
                reference = np.median(np.asarray(times["nibabel"]), axis=0)
                for case in cases:
                    wall, cpu, own = np.median(np.asarray(times[case]), axis=0)
                    ms = np.asarray(during[case]) * 1000
                    print(f"  {case:15s} wall {wall * 1000:7.1f} ms ({wall / reference[0]:.2f} of "
                          f"nibabel's), CPU {cpu * 1000:7.1f} ms ({cpu / reference[1]:.2f}; the "
                          f"calling thread's {own * 1000:6.1f} ms), "
                          f"{sizes[case] / 2**10:6.0f} KiB; a step meanwhile {np.median(ms):5.1f} ms "
                          f"(90th percentile {np.percentile(ms, 90):5.1f})")
                ms = np.asarray(idle) * 1000
                print(f"  a step with no save {np.median(ms):5.1f} ms (90th percentile "
                      f"{np.percentile(ms, 90):5.1f})")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
