"""DICOM load benchmark: neuroview against dcm2niix, a naive pydicom loop and reading raw bytes.

    python bench/load.py [--slices 300] [--size 512] [--repeats 3] [--workdir DIR] [--only-convert]
    python bench/load.py --study enhanced|large|4d|fixed [--repeats 5]
    python bench/load.py --study enhanced|large|4d|ct|fixed --against OLD_CHECKOUT [--repeats 7]
    python bench/load.py --study enhanced|large|4d --against OTHER_CHECKOUT --no-gzip
    python bench/load.py --study enhanced|large|4d --scan-modes

Writes a 300-slice 512x512 int16 CT series (sampled from the MNI template) uncompressed and as
JPEG 2000 lossless (cached in --workdir), then prints medians of --repeats runs and the ratios:

- ``neuroview convert`` vs ``dcm2niix -z n -b n`` as whole processes (both write an uncompressed
  .nii), alternating runs, at least 5 of each: wall time, CPU time (user + sys of the child
  and its workers, less sensitive to other jobs on a shared machine) and user time alone (the
  kernel's share of reading and writing 150 MB varies most with the machine's other work);
- neuroview's in-process load vs a naive one-file-at-a-time pydicom loop and vs reading the bytes;
- JPEG 2000 decoding serial vs a thread pool vs a process pool (why load.py uses threads);
- peak memory of a load (child process, ru_maxrss minus RSS before the load) / volume size.

``--against DIR`` alternates ``neuroview convert`` from this checkout with the one in DIR (an
older commit: ``git archive COMMIT neuroview | tar -x -C DIR``) on the same study: medians of wall
and CPU time, like for like. ``--scan-modes`` times the header scan alone, in this process: by
worker processes, by one parsing thread with read-ahead (what ``scan_paths`` does), by four
parsing threads and by a plain loop.

``--study enhanced`` writes many small Enhanced MR files (4 series x 60 files, each one
64x64x24 volume, laid out as Siemens XA exports an fMRI run), ``--study large`` a study of the
issue's size (7,355 files there): 24 such runs of 300 files, each one 64x64x12 volume (7,200
files, 730 MB), and ``--study 4d`` a classic 4D
series (20 time points x 30 slices of 96x96, one file per slice). First both programs convert
the study once and the bench stops unless dcm2niix's volumes are convert's, voxel for voxel at the
same RAS positions (a fair reference); then both convert it as whole processes into a folder,
alternating (the fixed start-up cost shows on these small files), three ways: gzipped at each
program's default level (dcm2niix 6, convert 1), both at level 1 (``dcm2niix -1``), and without
gzip on either side (``dcm2niix -z n``, ``convert --no-gzip``: parsing and pixels against
parsing and pixels).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from convert_runs import DCM2NIIX, LAST_CPU, LAST_USER, check_reference, child_env, cpu_of, run_process  # noqa: E402
from dicom_studies import make_4d_series, make_enhanced_study, make_series  # noqa: E402
from timing import median_seconds  # noqa: E402


def read_raw(files):
    total = 0
    for f in files:
        with open(f, "rb") as handle:
            total += len(handle.read())
    return total


def naive_pydicom(files):
    """What a first script does: read each file fully, pixel_array, rescale, sort by z, stack."""
    import pydicom

    slices = []
    for f in files:
        ds = pydicom.dcmread(f)
        slices.append((float(ds.ImagePositionPatient[2]),
                       ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)))
    slices.sort(key=lambda s: s[0])
    return np.stack([s[1] for s in slices], axis=-1)


def neuroview_load(folder):
    from neuroview.io import load

    return load(folder)



def process_times(folder: Path, repeats: int):
    """Medians of ``repeats`` alternating runs of dcm2niix and ``neuroview convert`` (each at
    least 5), both writing an uncompressed .nii into an empty place. Before each timed run the
    previous outputs are deleted and ``os.sync()`` flushes every pending write (untimed), so
    neither program pays for the other's disk writes; dcm2niix leaves its file to the kernel's
    writeback, neuroview fsyncs its file before renaming it into place (its atomic write)."""
    env = child_env()
    d2n_times, nv_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out, nii = Path(tmp) / "d2n", Path(tmp) / "nv.nii"

        def d2n():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            os.sync()
            return run_process([DCM2NIIX, "-z", "n", "-b", "n", "-o", str(out), str(folder)])

        def nv():
            nii.unlink(missing_ok=True)
            os.sync()
            return run_process([sys.executable, "-m", "neuroview", "convert", str(folder),
                                str(nii)], env=env)

        d2n(), nv()  # warm the page cache and both programs
        d2n_cpu, nv_cpu, d2n_user, nv_user = [], [], [], []
        for _ in range(max(5, repeats)):
            d2n_times.append(d2n())
            d2n_cpu.append(LAST_CPU[-1])
            d2n_user.append(LAST_USER[-1])
            nv_times.append(nv())
            nv_cpu.append(LAST_CPU[-1])
            nv_user.append(LAST_USER[-1])
    print(f"  runs: dcm2niix {' '.join(f'{t:.2f}' for t in d2n_times)} s; "
          f"convert {' '.join(f'{t:.2f}' for t in nv_times)} s")
    d2n_c, nv_c = statistics.median(d2n_cpu), statistics.median(nv_cpu)
    print(f"  CPU (user + sys), medians: dcm2niix {d2n_c:.2f} s, convert {nv_c:.2f} s, "
          f"convert/dcm2niix {nv_c / d2n_c:.2f}x; load average {os.getloadavg()[0]:.1f}")
    d2n_u, nv_u = statistics.median(d2n_user), statistics.median(nv_user)
    print(f"  user CPU alone, medians: dcm2niix {d2n_u:.2f} s, convert {nv_u:.2f} s, "
          f"convert/dcm2niix {nv_u / d2n_u:.2f}x")
    return statistics.median(d2n_times), statistics.median(nv_times)


FOLDER_RUNS = {
    "dcm2niix -z y (level 6)": ("d2n", ["-z", "y"]),
    "dcm2niix -z y -1": ("d2n", ["-z", "y", "-1"]),
    "convert (.nii.gz, level 1)": ("nv", []),
    "dcm2niix -z n": ("d2n", ["-z", "n"]),
    "convert --no-gzip": ("nv", ["--no-gzip"]),
}
"""The runs of one round of :func:`folder_times`, in the order they alternate. dcm2niix
compresses with the zlib-ng 1.3.1 built into it (pigz is not installed here; the PyPI package
brings none), at level 6 unless told; ``convert`` with ISA-L's igzip at level 1 (nibabel's
level), in two threads from 8 MB on."""

FOLDER_RATIOS = (("convert (.nii.gz, level 1)", "dcm2niix -z y (level 6)", "gzip, each at its default"),
                 ("convert (.nii.gz, level 1)", "dcm2niix -z y -1", "gzip, both at level 1"),
                 ("convert --no-gzip", "dcm2niix -z n", "no gzip: parsing + pixels + write"))


def folder_times(folder: Path, repeats: int) -> None:
    """Both programs convert ``folder`` into an empty folder, with and without gzip: medians of
    ``repeats`` rounds (at least 5) of the runs of :data:`FOLDER_RUNS`, alternating, after one
    untimed round; outputs deleted and ``os.sync()`` before each run (untimed)."""
    env = child_env()
    results: dict = {name: ([], [], []) for name in FOLDER_RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        for round_ in range(max(5, repeats) + 1):
            for name, (program, flags) in FOLDER_RUNS.items():
                shutil.rmtree(out, ignore_errors=True)
                if program == "d2n":
                    out.mkdir()
                os.sync()
                cmd = ([DCM2NIIX, *flags, "-b", "n", "-f", "%s_%d_%r", "-o", str(out), str(folder)]
                       if program == "d2n" else
                       [sys.executable, "-m", "neuroview", "convert", str(folder), str(out), *flags])
                wall = run_process(cmd, env=env if program == "nv" else None)
                if round_:
                    for values, value in zip(results[name], (wall, LAST_CPU[-1], LAST_USER[-1])):
                        values.append(value)
    medians = {name: [statistics.median(v) for v in values] for name, values in results.items()}
    print(f"  medians of {max(5, repeats)} alternating rounds (wall / CPU = user + sys / user):")
    for name, (wall, cpu, user) in medians.items():
        print(f"    {name:28s} {wall:5.2f} / {cpu:5.2f} / {user:5.2f} s")
    for ours, theirs, what in FOLDER_RATIOS:
        ratios = " / ".join(f"{a / b:.2f}x" for a, b in zip(medians[ours], medians[theirs]))
        print(f"  convert/dcm2niix, {what}: {ratios}")
    print(f"  load average {os.getloadavg()[0]:.1f}")


PEAK_CHILD = r"""
import glob, sys, tracemalloc, psutil
sys.path.insert(0, sys.argv[2])
from neuroview.io import scan
import pydicom
# Load the decoder libraries (gdcm, openjpeg...: tens of MB of code) before the baseline.
pydicom.dcmread(sorted(glob.glob(sys.argv[1] + "/*.dcm"))[0]).pixel_array
result = scan(sys.argv[1])
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # reset the peak-RSS mark (VmHWM) to the current RSS
before = psutil.Process().memory_info().rss
tracemalloc.start()
volume = result.best().load()
traced = tracemalloc.get_traced_memory()[1]
print((hwm() - before) / volume.nbytes, traced / volume.nbytes, volume.nbytes)
"""


def peak_memory(folder: Path) -> tuple[float, float, int]:
    """(peak RSS during the load - RSS before it) / volume, traced numpy+Python peak / volume,
    volume bytes. Decode workers (processes) are separate and not counted."""
    proc = subprocess.run([sys.executable, "-c", PEAK_CHILD, str(folder), str(REPO)],
                          capture_output=True, text=True, check=True)
    rss, traced, nbytes = proc.stdout.split()
    return float(rss), float(traced), int(nbytes)


def _decode_one(path):
    import pydicom

    return pydicom.dcmread(path).pixel_array.sum()


def decode_pools(files, repeats: int):
    """JPEG 2000 decoding of the same files: serial, threads, processes (parse + decode)."""
    serial = median_seconds(lambda: [_decode_one(f) for f in files], repeats)
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        threads = median_seconds(lambda: list(pool.map(_decode_one, files)), repeats)
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_decode_one, files[:4]))  # start the workers
        processes = median_seconds(lambda: list(pool.map(_decode_one, files, chunksize=4)), repeats)
    return serial, threads, processes



def fixed_cost(work: Path, repeats: int, other: str = "") -> int:
    """The fixed cost: CPU time of converting a 12-file 64x64 folder and of ``neuroview info``
    on it, alternating runs (with ``other``: its ``convert`` and ``info`` too, in the same
    rotation)."""
    from pydicom.uid import ExplicitVRLittleEndian

    folder = make_series(work / "fixed-12-64", 12, 64, ExplicitVRLittleEndian)
    env = child_env()
    other_env = dict(env, PYTHONPATH=str(Path(other).resolve())) if other else None
    d2n, nv, info, info_other, nv_other = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out, nii = Path(tmp) / "d2n", Path(tmp) / "nv.nii.gz"
        for _ in range(max(7, repeats) + 1):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            d2n.append(cpu_of([DCM2NIIX, "-z", "y", "-b", "n", "-o", str(out), str(folder)]))
            nii.unlink(missing_ok=True)
            nv.append(cpu_of([sys.executable, "-m", "neuroview", "convert", str(folder),
                              str(nii)], env))
            info.append(cpu_of([sys.executable, "-m", "neuroview", "info", str(folder)], env))
            if other_env:
                info_other.append(cpu_of([sys.executable, "-m", "neuroview", "info",
                                          str(folder)], other_env))
                nii.unlink(missing_ok=True)
                nv_other.append(cpu_of([sys.executable, "-m", "neuroview", "convert", str(folder),
                                        str(nii)], other_env))
    d2n, nv, info = (statistics.median(t[1:]) for t in (d2n, nv, info))  # first: warm-up
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n[fixed] "
          f"12 files of 64x64, CPU time (user + sys), medians of {max(7, repeats)} "
          f"alternating runs\n  dcm2niix -z y -b n        {d2n:7.2f} s\n"
          f"  neuroview convert process {nv:7.2f} s   (goal <= 0.5 s)\n"
          f"  neuroview info process    {info:7.2f} s   info/dcm2niix {info / d2n:5.1f}x")
    if info_other:
        print(f"  from {Path(other).resolve()}: convert {statistics.median(nv_other[1:]):.2f} s, "
              f"info {statistics.median(info_other[1:]):.2f} s")
    print(f"  load average {os.getloadavg()[0]:.1f}")
    return 0


def against(folder: Path, other: str, repeats: int, suffix: str, flags=()) -> None:
    """Alternate ``neuroview convert`` (with ``flags``) from this checkout and from ``other`` on
    ``folder``."""
    times: dict = {"this": ([], [], []), "other": ([], [], [])}
    trees = {"this": str(REPO), "other": str(Path(other).resolve())}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"out{suffix}"
        for run in range(max(5, repeats) + 1):  # the first of each: warm-up, not counted
            for name, tree in trees.items():
                shutil.rmtree(out, ignore_errors=True)
                out.unlink(missing_ok=True)
                env = dict(child_env(), PYTHONPATH=tree)
                wall = run_process([sys.executable, "-m", "neuroview", "convert", str(folder),
                                    str(out), *flags], env=env)
                if run:
                    times[name][0].append(wall)
                    times[name][1].append(LAST_CPU[-1])
                    times[name][2].append(LAST_USER[-1])
    for name, (wall, cpu, user) in times.items():
        print(f"  convert from {trees[name]}: wall {statistics.median(wall):.2f} s, CPU "
              f"{statistics.median(cpu):.2f} s, user {statistics.median(user):.2f} s "
              f"(medians of {len(wall)} alternating runs)")
    print(f"  load average {os.getloadavg()[0]:.1f}")


def scan_modes(folder: Path) -> None:
    """The header scan alone, in this process, files in the page cache: worker processes, one
    parsing thread with read-ahead threads (``scan_paths``), four parsing threads (the scan
    before 2 Dec 2026, 05:40 UTC) and a plain loop in one thread."""
    from neuroview.cli.lazy_imports import import_pydicom
    from neuroview.io.dicom import headers
    from neuroview.io.dicom.scan import read_file

    import_pydicom()
    files = sorted(str(p) for p in folder.glob("*.dcm"))

    def cpu() -> float:
        own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                           resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def four_parsing_threads() -> None:
        cache: dict = {}
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(partial(read_file, cache=cache), files))

    def one_thread() -> None:
        cache: dict = {}
        [read_file(path, cache) for path in files]

    modes = {"processes": lambda: headers._scan_in_processes(files, None, None),
             "one parser + read-ahead": lambda: headers.scan_paths(files),
             "four parsing threads": four_parsing_threads, "one thread": one_thread}
    results: dict = {name: ([], []) for name in modes}
    for _ in range(5):
        for name, run in modes.items():
            headers._worker_cache.clear()
            start, start_cpu = time.perf_counter(), cpu()
            with headers.cycle_collector_paused():  # as scan_files reads them
                run()
            results[name][0].append(time.perf_counter() - start)
            results[name][1].append(cpu() - start_cpu)
    for name, (wall, used) in results.items():
        print(f"  scan of {len(files)} files, {name:24s}: wall {statistics.median(wall):.3f} s, "
              f"CPU {statistics.median(used):.3f} s (medians of 5, alternating)")


def study(work: Path, kind: str, repeats: int, other: str = "", modes: bool = False,
          flags=()) -> int:
    if kind == "fixed":
        return fixed_cost(work, repeats, other)
    if kind == "ct":
        from pydicom.uid import ExplicitVRLittleEndian

        folder = make_series(work / "uncompressed-300-512", 300, 512, ExplicitVRLittleEndian)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n[ct]")
        against(folder, other, repeats, ".nii")
        return 0
    start = time.perf_counter()
    if kind == "large":  # a study of the size of the (7,355 files): 7,200 small files
        folder = make_enhanced_study(work / "enhanced-xa-24x300x12", 24, 300, 12)
    else:
        folder = (make_enhanced_study(work / "enhanced-xa-timed") if kind == "enhanced"
                  else make_4d_series(work / "4d-series"))
    files = sorted(folder.glob("*.dcm"))
    size_mb = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n[{kind}] "
          f"{len(files)} files, {size_mb:.0f} MB (ready in {time.perf_counter() - start:.1f} s)")
    if modes:
        scan_modes(folder)
        return 0
    if other:
        against(folder, other, repeats, "", flags)
        return 0
    check_reference(folder)
    folder_times(folder, repeats)
    return 0


def main(argv=None) -> int:
    import warnings

    warnings.simplefilter("ignore")  # pydicom's warnings about the files written here
    from pydicom.uid import ExplicitVRLittleEndian, JPEG2000Lossless

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "neuroview-bench"))
    parser.add_argument("--only-convert", action="store_true",
                        help="only neuroview convert vs dcm2niix on the uncompressed series")
    parser.add_argument("--against", metavar="DIR", default="",
                        help="alternate convert from this checkout and from DIR (--study)")
    parser.add_argument("--no-gzip", action="store_true",
                        help="with --against: both convert with --no-gzip")
    parser.add_argument("--scan-modes", action="store_true",
                        help="time the header scan by worker processes and by one process")
    parser.add_argument("--study", choices=("enhanced", "large", "4d", "fixed", "ct"),
                        help="convert a many-small-files enhanced study (large: 7,200 files), a "
                             "4D multi-file series, or a 12-file folder (fixed cost, CPU time)")
    args = parser.parse_args(argv)
    work = Path(args.workdir)
    if args.study:
        if args.study == "ct" and not args.against:
            parser.error("--study ct needs --against (else use --only-convert)")
        return study(work, args.study, args.repeats, args.against, args.scan_modes,
                     ("--no-gzip",) if args.no_gzip else ())
    print(f"machine: {os.cpu_count()} cores; series {args.slices} x {args.size}x{args.size} int16; "
          f"medians of {args.repeats}")
    series = [("uncompressed", ExplicitVRLittleEndian), ("jpeg2000", JPEG2000Lossless)]
    for name, syntax in series[:1] if args.only_convert else series:
        start = time.perf_counter()
        folder = make_series(work / f"{name}-{args.slices}-{args.size}", args.slices, args.size,
                             syntax)
        files = sorted(str(p) for p in folder.glob("*.dcm"))
        size_mb = sum(os.path.getsize(f) for f in files) / 1e6
        print(f"\n[{name}] {len(files)} files, {size_mb:.0f} MB on disk "
              f"(ready in {time.perf_counter() - start:.1f} s)")
        if args.only_convert:
            d2n, nv = process_times(folder, args.repeats)
            print(f"  dcm2niix -z n -b n        {d2n:7.2f} s   (median of {max(5, args.repeats)} "
                  "runs alternating with the next line)")
            print(f"  neuroview convert process {nv:7.2f} s   convert/dcm2niix {nv / d2n:5.2f}x "
                  "(goal <= 1.5)")
            continue
        raw = median_seconds(partial(read_raw, files), args.repeats)
        naive = median_seconds(partial(naive_pydicom, files), args.repeats)
        ours = median_seconds(partial(neuroview_load, folder), args.repeats)
        d2n, nv = process_times(folder, args.repeats)
        rss, traced, nbytes = peak_memory(folder)
        print(f"  read raw bytes            {raw:7.2f} s")
        print(f"  naive pydicom loop        {naive:7.2f} s")
        print(f"  neuroview load            {ours:7.2f} s   naive/neuroview {naive / ours:5.2f}x   "
              f"neuroview/raw {ours / raw:5.1f}x")
        print(f"  dcm2niix -z n -b n        {d2n:7.2f} s   (median of {max(5, args.repeats)} runs "
              "alternating with the next line)")
        print(f"  neuroview convert process {nv:7.2f} s   convert/dcm2niix {nv / d2n:5.2f}x "
              "(goal <= 1.5)")
        print(f"  peak memory of a load     {rss:7.2f} x the volume in RSS, {traced:.2f} x traced "
              f"allocations (volume {nbytes / 1e6:.0f} MB; goal < 1.5)")
        if syntax == JPEG2000Lossless:
            subset = files[: min(len(files), 4 * (os.cpu_count() or 1) * 8)]
            serial, threads, procs = decode_pools(subset, args.repeats)
            print(f"  decode {len(subset)} J2K files: serial {serial:.2f} s, threads "
                  f"{threads:.2f} s ({serial / threads:.2f}x), processes {procs:.2f} s "
                  f"({serial / procs:.2f}x)")
    print(f"\nru_maxrss of this script: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
