"""CPU time and peak memory of the CT guess of a NRRD (``info`` and the series chooser), against
reading its whole array with pynrrd (and, raw, the bare disk read of its voxels).

    PYTHONPATH=CHECKOUT python CHECKOUT/bench/nrrd_guess.py [--slices 1000] [--repeats 5]

Writes a 512 x 512 x SLICES int16 CT (a head in air, -3024 outside a round field of view) as a
raw and a gzip NRRD in a temporary folder, then runs each measure in its own child process (so
its peak memory is its own), ``--repeats`` times, alternating, and prints the medians: CPU
seconds of the measure (``time.process_time``) and its peak memory (the child's peak resident
set less its resident set before the measure, in MiB). The files are in the page cache.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SIZE = 512

CHILD = """
import resource, sys, time
import numpy as np, psutil, nrrd
from neuroview.io.registry import scan
from neuroview.io.modality_guess import guessed_modality
from neuroview.core import modality, ct_padding
import scipy.ndimage
kind, path = sys.argv[1], sys.argv[2]
before = psutil.Process().memory_info().rss
start = time.process_time()
if kind == "guess":
    result = guessed_modality(scan(path).candidates[0])
elif kind == "pynrrd":
    result = nrrd.read(path, index_order="F")[0].shape
else:   # the voxels' bytes read from disk, no decoding
    with open(path, "rb") as handle:
        result = len(handle.read())
cpu = time.process_time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(cpu, max(0, peak - before) / 2**20, repr(result))
"""


def _slab() -> np.ndarray:
    x = np.arange(SIZE) - (SIZE - 1) / 2
    r = np.hypot(*np.meshgrid(x, x, indexing="ij"))
    slab = np.full((SIZE, SIZE), -1024, dtype=np.int16)
    slab[r < 200] = 1000
    slab[r < 185] = 35
    slab[r > 250] = -3024
    return slab


def write_ct(folder: Path, slices: int) -> dict[str, Path]:
    """The CT as ``raw`` and ``gzip`` NRRDs (gzip level 1, as a quick writer would: the guess
    inflates the same prefix whatever the level)."""
    slab = _slab()
    rng = np.random.default_rng(0)
    noise = [rng.normal(0, 6, slab.shape).round().astype(np.int16) * (slab == 35) for _ in range(8)]
    paths = {}
    for encoding in ("raw", "gzip"):
        path = folder / f"ct_{encoding}.nrrd"
        header = ("NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\n"
                  f"sizes: {SIZE} {SIZE} {slices}\n"
                  "space directions: (0.5,0,0) (0,0.5,0) (0,0,0.6)\nkinds: domain domain domain\n"
                  f"endian: little\nencoding: {encoding}\nspace origin: (0,0,0)\n\n")
        with open(path, "wb") as handle:
            handle.write(header.encode())
            out = gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=1) \
                if encoding == "gzip" else handle
            for k in range(slices):
                out.write(np.asfortranarray(slab + noise[k % 8]).tobytes(order="F"))
            if out is not handle:
                out.close()
        paths[encoding] = path
    return paths


def _measure(kind: str, path: Path) -> tuple[float, float, str]:
    done = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], capture_output=True,
                          text=True, check=True)
    cpu, mib, result = done.stdout.split(maxsplit=2)
    return float(cpu), float(mib), result.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_ct(Path(folder), args.slices)
        for encoding, path in paths.items():
            kinds = ["guess", "pynrrd"] + (["disk"] if encoding == "raw" else [])
            runs = {kind: [] for kind in kinds}
            for _ in range(args.repeats):
                for kind in kinds:
                    runs[kind].append(_measure(kind, path))
            size = path.stat().st_size / 2**20
            print(f"{encoding} NRRD 512x512x{args.slices} int16 ({size:.0f} MiB on disk), "
                  f"medians of {args.repeats}:")
            guess = [statistics.median(r[i] for r in runs["guess"]) for i in (0, 1)]
            for kind in kinds:
                cpu = statistics.median(r[0] for r in runs[kind])
                mib = statistics.median(r[1] for r in runs[kind])
                ratio = "" if kind == "guess" else \
                    f"  (guess: {guess[0] / cpu:.3f} x the CPU, {guess[1] / max(mib, 1e-9):.3f} x the memory)"
                print(f"  {kind:7s} CPU {cpu:7.3f} s  peak {mib:7.1f} MiB  -> {runs[kind][0][2]}{ratio}")


if __name__ == "__main__":
    main()
