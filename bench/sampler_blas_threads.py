"""What numpy's OpenBLAS threads do to the synthetic training recipe's sampler on this machine.

Each variant runs, in a fresh process, what a ``neuroview train --synthetic`` sampler does
(:func:`neuroview.ai.samplers.synthetic_sampler`: a pool of deformed MNI anatomies, then batches of
patches) and reports the process's CPU time (user + sys, all its threads) and wall time for the
pool and for the batches:

- ``default``: OpenBLAS's own thread count (one per core), as ``neuroview train`` runs it;
- ``one``: ``OPENBLAS_NUM_THREADS=1``.

Prints medians of ``--repeats`` (variants alternate), the ratio one/default, the load average,
and whether both variants drew the same batches to the bit.

    python bench/sampler_blas_threads.py [--repeats 3] [--pool 2] [--batches 20]

Session 40 (2 cores, load 6-7, ``--repeats 4 --pool 2 --batches 10``): one thread took 0.76x the
CPU and 0.84x the time for the pool, 0.94x and 1.03x for the batches; a second run, with the limit
put around the deforming only (threadpoolctl), 1.03x and 1.31x for the pool. The pool's times
varied by a quarter between runs of one variant: no gain above the noise, so the sampler keeps
OpenBLAS's default (since session 39 the deforming's products are not threaded badly,
``bench/affine_points.py``). Every run drew the same batches to the bit.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import hashlib, json, resource, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
import numpy as np
from neuroview.ai import synth
from neuroview.ai.samplers import synthetic_sampler
from neuroview.ai.train_config import TrainConfig
pool, batches = int(sys.argv[1]), int(sys.argv[2])
anatomy = synth.load_mni_anatomy()
c0, w0 = cpu(), time.perf_counter()
sample = synthetic_sampler(TrainConfig(out=".", name="bench", seed=3), anatomy, pool_size=pool)
c1, w1 = cpu(), time.perf_counter()
digest = hashlib.sha256()
rng = np.random.default_rng(5)
for _ in range(batches):
    image, label = sample(rng)
    digest.update(image.tobytes()); digest.update(label.tobytes())
c2, w2 = cpu(), time.perf_counter()
print(json.dumps({"pool_cpu": c1 - c0, "pool_wall": w1 - w0, "batch_cpu": (c2 - c1) / batches,
                  "batch_wall": (w2 - w1) / batches, "digest": digest.hexdigest()}))
"""

VARIANTS = {"default": {}, "one": {"OPENBLAS_NUM_THREADS": "1"}}


def _run(extra: dict, pool: int, batches: int) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GOTO_NUM_THREADS")}
    env.update(extra, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(pool), str(batches)], env=env,
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stderr[-2000:])
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    runs = {name: [] for name in VARIANTS}
    loads = []
    for _ in range(args.repeats):
        for name, extra in VARIANTS.items():
            loads.append(os.getloadavg()[0])
            runs[name].append(_run(extra, args.pool, args.batches))
    print(f"cores {os.cpu_count()}, load average {min(loads):.1f}-{max(loads):.1f}, "
          f"{args.repeats} repeats, pool of {args.pool}, {args.batches} batches")
    for key in ("pool_cpu", "pool_wall", "batch_cpu", "batch_wall"):
        med = {name: statistics.median(r[key] for r in rs) for name, rs in runs.items()}
        print(f"{key:10s} default {med['default']:.3f} s  one {med['one']:.3f} s  "
              f"one/default {med['one'] / med['default']:.2f}")
    digests = {r["digest"] for rs in runs.values() for r in rs}
    print("same batches in every run:", len(digests) == 1)


if __name__ == "__main__":
    main()
