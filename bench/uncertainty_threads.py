"""What torch's idle OpenMP threads cost an uncertainty map on a CPU shared with other work.

Each variant computes ``neuroview.app.uncertainty.compute_uncertainty`` (the window's
*AI > Show uncertainty*, four flips, brain extraction included) of one synthetic 56x64x30 image at
4 mm (a head's field of view) in a fresh process, and reports that process's CPU time and wall time:

- ``one-thread``: ``OMP_NUM_THREADS=1`` (the reference: the work itself);
- ``spin``: two threads, idle threads spinning 300000 rounds (libgomp's default, ``GOMP_SPINCOUNT``);
- ``sleep``: two threads, idle threads sleeping (``OMP_WAIT_POLICY=PASSIVE``, neuroview's default).

Prints medians of ``--repeats`` (variants alternate), the ratios against ``one-thread`` and whether
``spin`` and ``sleep`` gave the same map to the bit. ``--busy N`` runs N busy loops meanwhile
(what other users' jobs do to a shared machine); on an idle machine the variants differ little.

    python bench/uncertainty_threads.py [--repeats 3] [--busy 0]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
import numpy as np
from neuroview.core.volume import Volume
from neuroview.app.uncertainty import compute_uncertainty
rng = np.random.default_rng(0)
image = rng.normal(100, 20, (56, 64, 30)).astype(np.float32)
image[20:36, 20:44, 10:20] += 200
volume = Volume(image, np.diag([4.0, 4.0, 4.0, 1.0]))
import torch  # imported before the clock starts: the variants differ in the model's work only
cpu0, wall0 = time.process_time(), time.perf_counter()
result = compute_uncertainty(volume, "lesionseg", device="cpu")
cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
np.save(sys.argv[1], result.array)
print(json.dumps({"cpu": cpu, "wall": wall, "threads": torch.get_num_threads()}))
"""

VARIANTS = {
    "one-thread": {"OMP_NUM_THREADS": "1"},
    "spin": {"OMP_NUM_THREADS": "2", "GOMP_SPINCOUNT": "300000"},
    "sleep": {"OMP_NUM_THREADS": "2"},
}


def _busy() -> None:
    while True:
        pass


def _run(variant: str, out: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(VARIANTS[variant])
    done = subprocess.run([sys.executable, "-c", CHILD, out], env=env, cwd=REPO,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--busy", type=int, default=0, help="busy loops to run meanwhile")
    args = parser.parse_args()
    import numpy as np

    loops = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(args.busy)]
    for loop in loops:
        loop.start()
    times = {name: {"cpu": [], "wall": []} for name in VARIANTS}
    try:
        with tempfile.TemporaryDirectory() as folder:
            for _ in range(args.repeats):
                for name in VARIANTS:
                    measured = _run(name, os.path.join(folder, f"{name}.npy"))
                    times[name]["cpu"].append(measured["cpu"])
                    times[name]["wall"].append(measured["wall"])
            same = np.array_equal(np.load(os.path.join(folder, "spin.npy")),
                                  np.load(os.path.join(folder, "sleep.npy")))
    finally:
        for loop in loops:
            loop.terminate()
    load = os.getloadavg()[0]
    print(f"uncertainty map of 56x64x30 at 4 mm, 4 flips, median of {args.repeats}, "
          f"{args.busy} busy loops, load average {load:.1f}, {os.cpu_count()} CPUs")
    ref = {k: statistics.median(v) for k, v in times["one-thread"].items()}
    for name, measured in times.items():
        cpu, wall = statistics.median(measured["cpu"]), statistics.median(measured["wall"])
        print(f"  {name:<10} cpu {cpu:7.2f} s ({cpu / ref['cpu']:.2f}x)   "
              f"wall {wall:7.2f} s ({wall / ref['wall']:.2f}x)")
    print(f"spin and sleep give the same map to the bit: {same}")


if __name__ == "__main__":
    main()
