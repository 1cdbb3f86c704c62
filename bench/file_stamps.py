"""What the re-open check's stamp of each file costs (``neuroview.io.candidates.file_stamp``: 16
blocks of 4 KiB spread over the file, CRC-32) against the stamp before session 40 (BLAKE2 of the
first and last 4 KiB) and against the same 16 blocks through BLAKE2, on 800 files of each size
(random bytes: the stamp does not parse them), page cache warm as after the read it follows.
Median of 7 rounds, the three alternating; prints the load.

    nice -n 10 python bench/file_stamps.py [--files 800]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from neuroview.io.candidates import STAMP_BLOCKS, STAMP_BYTES, file_stamp  # noqa: E402

SIZES = {"MR 256x256 slice": 132_000, "CT 512x512 slice": 526_000, "tiny-pixel file": 2_100}


def two_ends(path: str) -> tuple:
    """The stamp before session 40."""
    with open(path, "rb") as file:
        info = os.fstat(file.fileno())
        digest = hashlib.blake2b(file.read(STAMP_BYTES), digest_size=16)
        if info.st_size > STAMP_BYTES:
            file.seek(max(STAMP_BYTES, info.st_size - STAMP_BYTES))
            digest.update(file.read(STAMP_BYTES))
    return path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, digest.hexdigest()


def blocks_blake2(path: str) -> tuple:
    """The 16 blocks through BLAKE2 (5x the two ends at load 10: not taken)."""
    with open(path, "rb") as file:
        fd = file.fileno()
        info = os.fstat(fd)
        last = max(0, info.st_size - STAMP_BYTES)
        digest = hashlib.blake2b(digest_size=16)
        for k in range(STAMP_BLOCKS):
            digest.update(os.pread(fd, STAMP_BYTES, last * k // (STAMP_BLOCKS - 1)))
    return path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=800)
    args = parser.parse_args()
    stamps = {"16 blocks, CRC-32 (now)": file_stamp, "two ends, BLAKE2 (before)": two_ends,
              "16 blocks, BLAKE2": blocks_blake2}
    with tempfile.TemporaryDirectory() as tmp:
        for label, size in SIZES.items():
            data = os.urandom(size)
            files = []
            for i in range(args.files):
                path = os.path.join(tmp, f"{size}-{i:04d}.dcm")
                Path(path).write_bytes(data[i:] + data[:i])
                files.append(path)
            times: dict[str, list[float]] = {name: [] for name in stamps}
            for round_ in range(8):   # the first warms the page cache
                for name, stamp in stamps.items():
                    start = time.perf_counter()
                    for path in files:
                        stamp(path)
                    if round_:
                        times[name].append(time.perf_counter() - start)
            before = statistics.median(times["two ends, BLAKE2 (before)"])
            print(f"{args.files} files of {size / 1000:.1f} kB ({label}), load "
                  f"{os.getloadavg()[0]:.1f}:")
            for name, values in times.items():
                median = statistics.median(values)
                print(f"  {name:27s} {median * 1000:7.1f} ms  {median / before:.2f}x")


if __name__ == "__main__":
    main()
