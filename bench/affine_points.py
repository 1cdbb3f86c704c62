"""Applying a 3x3 matrix to N points: ``points @ m.T`` against ``(m @ points.T).T`` and ``np.einsum``.

For float64 and float32 points (N, 3) and N = 1e3 .. 1e7, with numpy's OpenBLAS at its default
thread count and at one thread (``threadpoolctl``), it prints the median wall time of 5 runs
(interleaved) of each form, the ratio old / form, the CPU time of the process (all its threads)
and whether the result equals the old form's bit for bit.

    nice -n 10 python bench/affine_points.py [--max-n 10000000] [--repeats 5]

What it showed (numpy 2.4.6, OpenBLAS 0.3.31, 2 cores shared at load 6-11): the two ``@`` forms
make the same BLAS call (gemm, row-major C (N, 3) is column-major C^T (3, N)) with M and N swapped.
OpenBLAS splits ``points @ m.T`` (M = 3 in its terms, N large) over its threads and keeps
``m @ points.T`` on one; on a loaded machine the second thread waits for a core and the call
takes 5-30x longer from N = 1e5 (1e7 float64 points: seconds instead of 0.1 s). At one BLAS
thread both forms take the same time. It is not a copy of the transposed view: copying ``m.T``
to C order changes nothing. ``np.einsum`` does not use BLAS here and is 2-5x slower than either
at one thread. Results of the two ``@`` forms are equal bit for bit; einsum's differ in the last
bit (another summation order).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

try:
    from threadpoolctl import threadpool_limits
except ImportError:                      # the bench then measures the default thread count only
    threadpool_limits = None


def _forms(m: np.ndarray):
    return {
        "p @ m.T": lambda p: p @ m.T,
        "(m @ p.T).T": lambda p: (m @ p.T).T,
        "einsum": lambda p: np.einsum("ij,nj->ni", m, p),
    }


def _time(forms: dict, points: np.ndarray, repeats: int) -> dict:
    """Median wall and CPU seconds (this process, all threads) of each form, runs interleaved."""
    wall = {name: [] for name in forms}
    cpu = {name: [] for name in forms}
    for _ in range(repeats):
        for name, form in forms.items():
            w, c = time.perf_counter(), time.process_time()
            form(points)
            wall[name].append(time.perf_counter() - w)
            cpu[name].append(time.process_time() - c)
    return {name: (statistics.median(wall[name]), statistics.median(cpu[name])) for name in forms}


def _table(sizes, repeats: int, label: str) -> None:
    rng = np.random.default_rng(0)
    linear = rng.normal(size=(3, 3)) + np.eye(3)
    affine = np.eye(4)
    affine[:3, :3] = linear                 # the slice product code takes: a view into a 4x4
    print(f"\n== BLAS threads: {label}")
    print(f"{'dtype':8}{'N':>10}  " + "  ".join(f"{n:>35}" for n in _forms(linear)))
    for dtype in (np.float64, np.float32):
        m = affine[:3, :3].astype(dtype) if dtype is np.float32 else affine[:3, :3]
        forms = _forms(m)
        for n in sizes:
            points = rng.normal(scale=100, size=(n, 3)).astype(dtype)
            old = forms["p @ m.T"](points)
            same = {name: np.array_equal(form(points), old) for name, form in forms.items()}
            result = _time(forms, points, repeats)
            base = result["p @ m.T"][0]
            cells = [f"{wall * 1e3:8.2f} ms x{base / wall:5.1f} cpu {cpu * 1e3:7.2f} "
                     + ("=" if same[name] else "~") for name, (wall, cpu) in result.items()]
            print(f"{np.dtype(dtype).name:8}{n:>10}  " + "  ".join(f"{c:>35}" for c in cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-n", type=float, default=1e7)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(10 ** k) for k in range(3, 8) if 10 ** k <= args.max_n]
    with open("/proc/loadavg") as f:
        print(f"numpy {np.__version__}, load {f.read().split()[0]} (1 min); "
              "x: old form's time / this form's; cpu: CPU ms, all threads; "
              "=: equal to the old form bit for bit")
    _table(sizes, args.repeats, "default")
    if threadpool_limits is not None:
        with threadpool_limits(limits=1, user_api="blas"):
            _table(sizes, args.repeats, "1 (threadpoolctl)")
    with open("/proc/loadavg") as f:
        print(f"load at the end {f.read().split()[0]}")


if __name__ == "__main__":
    main()
