"""Applying a 3x3 matrix to N points: ``points @ m.T`` against ``(m @ points.T).T`` and ``np.einsum``.

For float64 and float32 points (N, 3) and N = 1e3 .. 1e7, with numpy's OpenBLAS at its default
thread count and at one thread (``threadpoolctl``), it prints the median wall time of 5 runs
(interleaved) of each form, the ratio old / form, the CPU time of the process (all its threads)
and whether the result equals the old form's bit for bit.

    nice -n 10 python bench/affine_points.py [--max-n 10000000] [--repeats 5]

What it showed (numpy 2.4.6, OpenBLAS 0.3.31, 2 cores shared with other work): the two ``@`` forms
make the same BLAS call (gemm; row-major C (N, 3) is column-major C^T (3, N)) with M and N
swapped. OpenBLAS spreads ``points @ m.T`` over its threads, ``m @ points.T`` hardly (their CPU
time, printed last, 1e6 points x 20 calls: 1.48 s against 0.02 s float64, 1.63 against 0.08 s
float32, at load 1.3), and the spread call is slow and burns CPU, on a quiet machine too: at load
1.3, 1e7 float64 points took 1.1 s (CPU 1.1 s) against 0.055 s, 1e6 float32 points 224 ms against
8 ms (20-30x); at load 8-13 1e7 float64 points took 3.0-9.0 s against 0.17-0.30 s. It is erratic:
in one run at load 8 the two were within 1.5x either way at 1e6. At one BLAS thread
(``threadpoolctl``) the two forms take the same time (1e7 float64: 63 against 54 ms), so it is the
threading, not a copy of the transposed view (a C-ordered copy of ``m.T`` is as slow).
``np.einsum`` does not use BLAS here: 3-10x slower than either at one thread, and a last bit
different (another summation order); the two ``@`` forms are equal bit for bit.
"""

from __future__ import annotations

import argparse
import os
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


def _worker_seconds() -> float:
    """CPU seconds so far of this process's threads other than the calling one (Linux)."""
    ticks = 0
    for task in os.listdir("/proc/self/task"):
        if int(task) != os.getpid():
            with open(f"/proc/self/task/{task}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])          # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _workers(n: int, calls: int = 20) -> None:
    """Which form BLAS spreads over its threads: their CPU time over ``calls`` calls."""
    if not os.path.isdir("/proc/self/task"):
        return
    rng = np.random.default_rng(1)
    print(f"\n== CPU of BLAS's other threads over {calls} calls, N = {n}, default thread count")
    for dtype in (np.float64, np.float32):
        points = rng.normal(size=(n, 3)).astype(dtype)
        for name, form in _forms(rng.normal(size=(3, 3)).astype(dtype)).items():
            form(points)
            before = _worker_seconds()
            for _ in range(calls):
                form(points)
            print(f"{np.dtype(dtype).name:8}{name:>14}: {_worker_seconds() - before:6.2f} s")


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
    _workers(min(10 ** 6, sizes[-1]))
    if threadpool_limits is not None:
        with threadpool_limits(limits=1, user_api="blas"):
            _table(sizes, args.repeats, "1 (threadpoolctl)")
    with open("/proc/loadavg") as f:
        print(f"load at the end {f.read().split()[0]}")


if __name__ == "__main__":
    main()
