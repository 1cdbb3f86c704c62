"""Peak memory and time of reading a DICOM SEG back (File > Open labels, Open from PACS:
``io.seg.load_seg`` placed on the open volume) of a 512x512xN CT-like series with a model's brain
(a context segment whose extent is the whole brain) and three small lesions inside it, the SEG
``bench/seg_memory.py`` measures the save of, against a floor measured in the same run:

- ``floor``: pydicom's plain read of the file and its PixelData unpacked with numpy (one byte a
  pixel of every frame: a plane per segment, the least a reader that decodes the whole file holds);
- ``highdicom`` (with ``--kinds``): highdicom's ``segread`` and ``get_volume`` of each segment's
  plane, ``(slices, rows, columns, segments)``, what neuroview called before.

``--grid finer`` places it on an image of the same matrix with other voxels (0.9, 0.92 and 1.14
times the SEG's), where the labels are resampled; each row says what the memory check asked.

The SEG is saved once a size (``save_seg``, not measured) to a temporary folder. Each measure runs
in a fresh child process: a first SEG of two small slices is read (it loads pydicom's and
highdicom's code tables, about 110 MB once a process); then the peak resident memory is reset
(``/proc/self/clear_refs``) and the call measured as the growth of the peak resident memory over
the resident memory before it (``VmHWM - VmRSS``), with its wall and CPU time. Median of the
repeats; the label map's bytes (uint8, one byte a voxel) are the unit.

Run: PYTHONPATH=. python bench/seg_read_memory.py [--slices 400 1000] [--repeats 3]
[--kinds neuroview floor highdicom] [--grid same|finer]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.seg_memory import SIZE, _status, make_label_map  # noqa: E402
from tests.io.seg_axial import axial_headers  # noqa: E402


def write(n_slices: int, folder: str) -> None:
    """The SEG of ``n_slices`` (``seg.dcm``) and a small one to warm a reader (``warm.dcm``)."""
    from neuroview.core.labels import LabelMap, SegmentTable
    from neuroview.io.seg import save_seg

    headers, ijk_to_ras = axial_headers(2, 16)
    save_seg(LabelMap(np.ones((16, 16, 2), np.uint8), ijk_to_ras, SegmentTable()), headers,
             os.path.join(folder, "warm.dcm"))
    headers, ijk_to_ras = axial_headers(n_slices, SIZE)
    save_seg(make_label_map(n_slices, ijk_to_ras), headers, os.path.join(folder, "seg.dcm"))


def child(kind: str, n_slices: int, folder: str, grid: str = "same") -> dict:
    import gc

    import highdicom as hd
    import pydicom

    from neuroview.io.seg import load_seg
    from neuroview.io.seg_check import seg_read_bytes

    target, warm = os.path.join(folder, "seg.dcm"), os.path.join(folder, "warm.dcm")
    _headers, ijk_to_ras = axial_headers(1, SIZE)   # the open volume's grid (i column, j row, k slice)
    if grid == "finer":
        ijk_to_ras[:3, :3] = ijk_to_ras[:3, :3] @ np.diag([0.9, 0.92, 1.14])
    volume = types.SimpleNamespace(shape=(SIZE, SIZE, n_slices), ijk_to_ras=ijk_to_ras)
    header = pydicom.dcmread(target, stop_before_pixels=True)
    asked = seg_read_bytes(header, SIZE, SIZE, int(header.NumberOfFrames), volume)
    del header
    if kind == "floor":
        def call(path):
            ds = pydicom.dcmread(path)
            count = int(ds.NumberOfFrames) * ds.Rows * ds.Columns
            return np.unpackbits(np.frombuffer(ds.PixelData, np.uint8), count=count, bitorder="little")
    elif kind == "highdicom":
        def call(path):
            return hd.seg.segread(path).get_volume(skip_overlap_checks=True).array
    else:
        def call(path):
            return load_seg(path, volume if path == target else None).array
    call(warm)
    if grid != "same":
        from scipy import ndimage  # noqa: F401  (imported by the resampling: not the read's)
    gc.collect()
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")   # the peak resident memory starts again from here
    before = _status("VmRSS:")
    wall, cpu = time.perf_counter(), time.process_time()
    out = call(target)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result = {"rss_peak": _status("VmHWM:") - before, "wall": wall, "cpu": cpu,
              "label_bytes": SIZE * SIZE * n_slices, "out_bytes": out.nbytes,
              "file_bytes": os.path.getsize(target), "asked": asked}
    return result


def measure(kind: str, n_slices: int, folder: str, grid: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n_slices), folder,
                          "--grid", grid],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, nargs="+", default=[400, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", default=["neuroview", "floor"])
    parser.add_argument("--grid", choices=("same", "finer"), default="same")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "SLICES", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=2, metavar=("SLICES", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.child[2], args.grid)))
        return
    if args.write:
        write(int(args.write[0]), args.write[1])
        return
    mib = 2 ** 20
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    for n_slices in args.slices:
        with tempfile.TemporaryDirectory(prefix="seg-read-memory-") as folder:
            subprocess.run([sys.executable, __file__, "--write", str(n_slices), folder], env=env,
                           check=True)
            rows = {}
            for kind in args.kinds:
                runs = [measure(kind, n_slices, folder, args.grid) for _ in range(args.repeats)]
                rows[kind] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        label = next(iter(rows.values()))["label_bytes"]
        print(f"{SIZE}x{SIZE}x{n_slices} label map {label / mib:.0f} MiB, SEG file "
              f"{next(iter(rows.values()))['file_bytes'] / mib:.0f} MiB (median of {args.repeats}; "
              f"peak = growth of resident memory during the read):")
        for kind, row in rows.items():
            print(f"  {kind:10s} peak RSS {row['rss_peak'] / mib:7.0f} MiB "
                  f"({row['rss_peak'] / label:5.2f} x label map)  "
                  f"wall {row['wall']:6.1f} s  CPU {row['cpu']:6.1f} s  "
                  f"result {row['out_bytes'] / mib:.0f} MiB  check asked {row['asked'] / mib:.0f} MiB")
        if {"neuroview", "floor"} <= set(rows):
            print(f"  neuroview / floor: peak RSS "
                  f"{rows['neuroview']['rss_peak'] / rows['floor']['rss_peak']:.2f}, "
                  f"CPU {rows['neuroview']['cpu'] / rows['floor']['cpu']:.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
