"""Peak memory and time of saving a DICOM SEG (File > Save labels as DICOM SEG: ``io.seg.save_seg``)
of a 512x512xN CT-like series with a model's brain (a context segment whose extent is the whole
brain) and three small lesions inside it, against references measured in the same run:

- the bytes of the label map itself (uint8, one byte a voxel);
- highdicom's own ``Segmentation`` constructor (and ``save_as``) given the masks as highdicom
  takes overlapping segments: one binary plane per segment, ``(frames, rows, columns, segments)``
  bool, built before the measure starts (the input is not counted, as the label map is not).

``--before DIR``: the same save by the neuroview of another checkout (``git worktree add DIR
main``, or ``git archive main | tar -x -C DIR``), as kind ``before``. The kinds take turns, one
run of each per repeat (the shared machine's load moves).

Each measure runs in a fresh child process: its inputs are made and a first SEG of two small
slices is saved (it loads pydicom's and highdicom's code tables, about 110 MB once a process);
then the peak resident memory is reset (``/proc/self/clear_refs``) and the call measured as the
growth of the peak resident memory over the resident memory before it (``VmHWM - VmRSS``), with
its wall and CPU time. Median of the repeats. ``--trace``: one more run of each under
``tracemalloc`` (Python's allocation peak, numpy's included).

The source headers are made in memory as ``read_series_headers`` returns them (no pixel data):
what Save as DICOM SEG hands to ``save_seg``. Nothing is read from or written to the user's data;
the SEG goes to a temporary folder.

Run: PYTHONPATH=. python bench/seg_memory.py [--slices 400 1000] [--repeats 3] [--kinds neuroview]
[--before DIR] [--trace]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("SEG_BENCH_CODE", str(ROOT)))   # --before: the other checkout

import numpy as np  # noqa: E402

from tests.io.seg_axial import axial_headers  # noqa: E402

SIZE = 512
LESIONS = ((0.45, 0.40, 0.50, 6), (0.58, 0.55, 0.45, 4), (0.50, 0.62, 0.60, 8))
"""Lesion centres (fractions of the grid) and radii (voxels)."""


def make_label_map(n_slices: int, ijk_to_ras):
    """A CT-like int16 head (skull, brain, air) thresholded to a brain mask, three lesions in it:
    the label map a model run leaves (lesions 1-3 over the brain 4, whose extent is the whole
    brain, hidden)."""
    import dataclasses

    from neuroview.core.extent import encode_extent
    from neuroview.core.labels import LabelMap, SegmentTable

    shape = (SIZE, SIZE, n_slices)
    ct = np.full(shape, -1000, np.int16)
    labels = np.zeros(shape, np.uint8)
    ii = ((np.arange(SIZE) - SIZE / 2) / (SIZE * 0.42)) ** 2
    jj = ((np.arange(SIZE) - SIZE / 2) / (SIZE * 0.45)) ** 2
    radial = ii[:, None] + jj[None, :]
    for k in range(n_slices):   # slice by slice: a head of 0.9 x the slab's height
        z = ((k - n_slices / 2) / (n_slices * 0.45)) ** 2
        ct[..., k][radial + z < 1.0] = 1000          # skull
        ct[..., k][radial + z < 0.85] = 35            # brain
    brain = ct == 35
    del ct
    labels[brain] = 4
    for n, (ci, cj, ck, r) in enumerate(LESIONS, start=1):
        c = np.array([ci * SIZE, cj * SIZE, ck * n_slices]).astype(int)
        lo = c - r
        box = np.indices((2 * r + 1,) * 3) - r
        ball = (box ** 2).sum(axis=0) <= r * r
        region = labels[lo[0]:lo[0] + 2 * r + 1, lo[1]:lo[1] + 2 * r + 1, lo[2]:lo[2] + 2 * r + 1]
        region[ball] = n
    table = SegmentTable()
    for n in range(1, 4):
        table.add(f"lesion {n}", value=n, origin="model", model="lesionseg@2.5.1")
    segment = table.add("brain", value=4, origin="model", model="lesionseg@2.5.1", visible=False)
    table.put(dataclasses.replace(segment, extent=encode_extent(brain)))
    del brain
    return LabelMap(labels, ijk_to_ras, table)


def whole_mask(segment, array: np.ndarray):
    """The context ``segment``'s whole mask on ``array``'s grid: its extent and its own voxels
    (``None`` when it has no extent that fits, or the extent adds nothing to its voxels)."""
    from neuroview.core.extent import extent_mask
    from neuroview.core.undo import box_slices

    found = extent_mask(segment.extent, array.shape)
    if found is None:
        return None
    lo, mask = found
    own = array == segment.value
    whole = own.copy()
    whole[box_slices(lo, np.add(lo, mask.shape))] |= mask
    return None if np.array_equal(whole, own) else whole


def planes_of(label_map) -> np.ndarray:
    """The masks as highdicom takes overlapping segments: ``(frames, rows, columns, segments)``
    bool; frames are slices k, rows j, columns i (the axial series above). The brain's plane is
    its whole mask, the lesions' their voxels."""
    array = label_map.array
    values = sorted(label_map.segments.segments)
    out = np.zeros((array.shape[2], array.shape[1], array.shape[0], len(values)), bool)
    for index, value in enumerate(values):
        whole = whole_mask(label_map.segments.get(value), array)
        mask = whole if whole is not None else array == value
        out[..., index] = mask.transpose(2, 1, 0)
    return out


def _status(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def child(kind: str, n_slices: int, trace: bool) -> dict:
    import gc
    import tracemalloc

    import highdicom as hd

    from neuroview.core.labels import LabelMap, SegmentTable
    from neuroview.io import seg as seg_io

    headers, ijk_to_ras = axial_headers(n_slices, SIZE)
    label_map = make_label_map(n_slices, ijk_to_ras)
    folder = tempfile.mkdtemp(prefix="seg-memory-")
    target = os.path.join(folder, "seg.dcm")
    # a first SEG before the measure, for both: it loads pydicom's and highdicom's code tables
    # (about 110 MB of Python objects, once a process), which would dwarf a small case's peak
    warm_headers, warm_ijk_to_ras = axial_headers(2, 16)
    seg_io.save_seg(LabelMap(np.ones((16, 16, 2), np.uint8), warm_ijk_to_ras, SegmentTable()),
                    warm_headers, os.path.join(folder, "warm.dcm"))
    os.remove(os.path.join(folder, "warm.dcm"))
    descriptions = [seg_io._description(n, label_map.segments.get(v))
                    for n, v in enumerate(sorted(label_map.segments.segments), start=1)]
    if kind == "highdicom":
        planes = planes_of(label_map)
        sources = seg_io.sources_for_seg(headers)

        def call():
            seg = hd.seg.Segmentation(
                source_images=sources, pixel_array=planes,
                segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
                segment_descriptions=descriptions, series_instance_uid=hd.UID(), series_number=900,
                sop_instance_uid=hd.UID(), instance_number=1, manufacturer="neuroview",
                manufacturer_model_name="neuroview", software_versions="bench",
                device_serial_number="0", omit_empty_frames=False)
            seg.save_as(target, enforce_file_format=True)
    else:
        def call():
            seg_io.save_seg(label_map, headers, target)
    gc.collect()
    if trace:
        tracemalloc.start()
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")   # the peak resident memory starts again from here
    before = _status("VmRSS:")
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result = {"rss_peak": _status("VmHWM:") - before, "wall": wall, "cpu": cpu,
              "label_bytes": label_map.array.nbytes, "file_bytes": os.path.getsize(target)}
    if trace:
        result["traced_peak"] = tracemalloc.get_traced_memory()[1]
    os.remove(target)
    os.rmdir(folder)
    return result


def measure(kind: str, n_slices: int, trace: bool = False, before: str = "") -> dict:
    code = before if kind == "before" else str(ROOT)
    env = dict(os.environ, PYTHONPATH=code, SEG_BENCH_CODE=code, OMP_NUM_THREADS="1")
    kind = "neuroview" if kind == "before" else kind
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n_slices)]
                         + (["--trace"] if trace else []),
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, nargs="+", default=[400, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", default=["neuroview", "highdicom"])
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SLICES"), help=argparse.SUPPRESS)
    parser.add_argument("--before", metavar="DIR", default="",
                        help="also measure the neuroview of the checkout DIR (kind 'before')")
    parser.add_argument("--trace", action="store_true",
                        help="one more run of each under tracemalloc (Python's allocation peak)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.trace)))
        return
    mib = 2 ** 20
    kinds = args.kinds + (["before"] if args.before else [])
    for n_slices in args.slices:
        runs = {kind: [] for kind in kinds}
        for _ in range(args.repeats):   # the kinds take turns
            for kind in kinds:
                runs[kind].append(measure(kind, n_slices, before=args.before))
        rows = {}
        for kind in kinds:
            rows[kind] = {key: statistics.median(r[key] for r in runs[kind])
                          for key in ("rss_peak", "wall", "cpu", "label_bytes", "file_bytes")}
            if args.trace:
                rows[kind]["traced_peak"] = measure(kind, n_slices, True, args.before)["traced_peak"]
        label = next(iter(rows.values()))["label_bytes"]
        print(f"{SIZE}x{SIZE}x{n_slices} label map {label / mib:.0f} MiB "
              f"(median of {args.repeats}; peak = growth of resident memory during the call):")
        for kind, row in rows.items():
            traced = (f"tracemalloc peak {row['traced_peak'] / mib:7.0f} MiB "
                      f"({row['traced_peak'] / label:5.2f} x)  " if "traced_peak" in row else "")
            print(f"  {kind:10s} peak RSS {row['rss_peak'] / mib:7.0f} MiB "
                  f"({row['rss_peak'] / label:5.2f} x label map)  {traced}"
                  f"wall {row['wall']:6.1f} s  CPU {row['cpu']:6.1f} s  "
                  f"file {row['file_bytes'] / mib:.0f} MiB")
        if {"neuroview", "highdicom"} <= set(rows):
            print(f"  neuroview / highdicom: peak RSS "
                  f"{rows['neuroview']['rss_peak'] / rows['highdicom']['rss_peak']:.2f}, "
                  f"CPU {rows['neuroview']['cpu'] / rows['highdicom']['cpu']:.2f}")
        if {"neuroview", "before"} <= set(rows):
            print(f"  before -> neuroview: wall {rows['before']['wall']:.1f} -> "
                  f"{rows['neuroview']['wall']:.1f} s, CPU {rows['before']['cpu']:.1f} -> "
                  f"{rows['neuroview']['cpu']:.1f} s")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
