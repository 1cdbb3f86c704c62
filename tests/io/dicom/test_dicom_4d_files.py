"""A classic 4D series (one single-frame file per slice and time point, issue 11's Proof: "a 4D
multi-file series") converted as dcm2niix converts it, and the parallel header scan that reads
such folders (worker processes) giving the frames a plain scan gives."""

from __future__ import annotations

import dataclasses
import os
import threading
import time

import nibabel as nib
import numpy as np
import pytest
from pydicom.uid import generate_uid
from series_maker import SeriesSpec, compare_in_world, run_dcm2niix, write_series

from neuroview.io.dicom.headers import PROCESS_SCAN_MIN_FILES, _scan_in_processes, scan_paths
from neuroview.io.dicom.scan import FrameRef

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

N_TIMES, N_SLICES = 3, 24
SCALES = (1.0, 1.5, 0.75)  # time point t holds the anatomy times SCALES[t]


@pytest.fixture(scope="module")
def series_4d(tmp_path_factory, mni_volume):
    """72 files of one SeriesInstanceUID; each time point's files carry its acquisition time and
    temporal position; file names are random, so their order says nothing."""
    folder = tmp_path_factory.mktemp("classic-4d")
    uid = generate_uid()
    written = []
    for t in range(N_TIMES):
        spec = SeriesSpec(orientation="oblique", rows=40, cols=36, n_slices=N_SLICES,
                          series_uid=uid, value_scale=SCALES[t], seed=11 + t,
                          first_instance=1 + t * N_SLICES,
                          extra=(("AcquisitionTime", f"1011{10 + t:02d}.000"),
                                 ("TemporalPositionIdentifier", t + 1)))
        written.append(write_series(folder, mni_volume, spec))
    assert len(list(folder.glob("*.dcm"))) == N_TIMES * N_SLICES < PROCESS_SCAN_MIN_FILES
    return folder, written


def test_classic_4d_converts_as_dcm2niix_in_acquisition_order(series_4d, cli, tmp_path):
    folder, written = series_4d
    out = tmp_path / "4d.nii.gz"
    proc = cli("convert", folder, out)  # headers read in one process (the workers: below)
    assert proc.returncode == 0, proc.stderr
    ours = nib.load(out)
    assert ours.shape == (36, 40, N_SLICES, N_TIMES)
    references = run_dcm2niix(folder, tmp_path / "dcm2niix")
    assert len(references) == 1  # one 4D series, as ours
    reference = nib.load(references[0])
    assert reference.shape[3] == N_TIMES
    data, expected = ours.get_fdata(), reference.get_fdata()
    for t in range(N_TIMES):  # same volume at the same place in time, same voxels, same RAS
        compare_in_world(data[..., t], ours.affine, expected[..., t], reference.affine)
        compare_in_world(data[..., t], ours.affine, written[t].values, written[t].ijk_to_ras)


FIELDS = [f.name for f in dataclasses.fields(FrameRef) if f.name != "header"]


def test_headers_read_by_worker_processes_equal_a_plain_scan(series_4d):
    folder, _ = series_4d
    files = sorted(str(p) for p in folder.glob("*.dcm"))
    files.append(str(folder / "missing.dcm"))  # an error travels back from a worker too
    reports = []
    parallel = _scan_in_processes(files, lambda done, total, text: reports.append(done), None)
    plain = [scan_paths([path])[0] for path in files]
    assert len(parallel) == len(plain) == len(files)
    for a, b in zip(parallel, plain):
        assert [[getattr(f, k) for k in FIELDS] for f in a.frames] == \
               [[getattr(f, k) for k in FIELDS] for f in b.frames]
        assert a.note == b.note and str(a.error) == str(b.error)
    assert type(parallel[-1].error) is type(plain[-1].error) and parallel[-1].error is not None
    assert parallel[-1].error.path == plain[-1].error.path == files[-1]
    assert reports[-1] == len(files)
    # the frames came back without their datasets (pickling those cost more than parsing);
    # the file is parsed again when the dataset is asked for
    frame = parallel[0].frames[0]
    assert frame.header.ds is None and frame.pixel_layout is not None
    assert np.array_equal(frame.dataset.pixel_array, plain[0].frames[0].dataset.pixel_array)


@pytest.mark.parametrize("advise", [True, False])
def test_headers_parsed_in_one_thread_with_the_next_files_fetched_ahead(series_4d, monkeypatch,
                                                                          advise):
    """Parsing threads only fought over the GIL (``bench/load.py --scan-modes``): one thread
    parses, in order, while the kernel is asked to fetch the other files' first bytes
    (``posix_fadvise``) or, without it, read-ahead threads read them. Same frames as a plain
    loop, every file after the first fetched ahead, no thread left behind."""
    from neuroview.io.dicom import headers

    folder, _ = series_4d
    files = sorted(str(p) for p in folder.glob("*.dcm"))
    files.append(str(folder / "missing.dcm"))  # reported by the parse, skipped by the read-ahead
    parsers, fetched = set(), []
    real_read = headers.read_file

    def parse(path, cache=None):
        parsers.add(threading.get_ident())
        if path == files[-1]:  # give the read-ahead time to finish (it stops with the parse)
            deadline = time.monotonic() + 20
            while len(fetched) < len(files) - 2 and time.monotonic() < deadline:
                time.sleep(0.01)
        return real_read(path, cache)

    def advised(fd, offset, length, what):
        fetched.append(os.readlink(f"/proc/self/fd/{fd}"))

    real_os_read = os.read

    def read(fd, n):
        if n == headers.READ_AHEAD_BYTES:
            fetched.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_os_read(fd, n)

    monkeypatch.setattr(headers, "read_file", parse)
    monkeypatch.setattr(headers, "_ADVISE", advised if advise else None)
    if not advise:
        monkeypatch.setattr(os, "read", read)
    threads_before = threading.active_count()
    scans = scan_paths(files)
    assert parsers == {threading.get_ident()}
    assert sorted(fetched) == sorted(files[1:-1]) and threading.active_count() == threads_before
    monkeypatch.undo()
    plain = [real_read(path, {}) for path in files]
    for a, b in zip(scans, plain, strict=True):
        assert [[getattr(f, k) for k in FIELDS] for f in a.frames] == \
               [[getattr(f, k) for k in FIELDS] for f in b.frames]
        assert a.note == b.note and str(a.error) == str(b.error)
    assert scans[-1].error is not None


SCAN_COUNTING_COLLECTIONS = """
import gc, sys
from neuroview.io.dicom import scan_files
reports, at = [], []  # how many progress reports the scan had made at each collection
gc.callbacks.append(lambda phase, info: phase == "start" and at.append(len(reports)))
result = scan_files(sys.argv[1:], progress=lambda done, total, text: reports.append(done))
during = [n for n in at if 0 < n < len(reports)]  # between the first and the last report
print(len(result.candidates), reports[-1], len(during), gc.isenabled())
"""


def test_the_cycle_collector_does_not_run_during_a_scan_and_is_on_after(series_4d, tmp_path):
    """A scan's objects (about 20 per frame) hold no reference cycles: in a single-threaded
    process (``convert``, ``info``, a script) Python's cycle collector is paused while they are
    made (it walked every object made so far, again and again: a fifth of the CPU of a
    7,200-file scan) and is on again afterwards."""
    import subprocess
    import sys

    folder, _ = series_4d
    files = sorted(str(p) for p in folder.glob("*.dcm"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(__import__("neuroview").__path__[0].rsplit(os.sep, 1)[0])]))
    proc = subprocess.run([sys.executable, "-c", SCAN_COUNTING_COLLECTIONS, *files], env=env,
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", str(len(files)), "0", "True"]


def test_worker_processes_read_headers_only_where_cores_are_idle(monkeypatch, tmp_path):
    """On cores other work keeps busy, worker processes cost more CPU than they save (their
    frames are pickled and unpickled): a large folder is read in one process there, and by
    workers where two cores or more are idle; each time every file is read."""
    from neuroview.io.dicom import headers

    files = [str(tmp_path / f"missing{i}.dcm") for i in range(PROCESS_SCAN_MIN_FILES)]
    pools = []

    def pool(paths, progress, cancel):
        pools.append(len(paths))
        return [headers.read_file(path) for path in paths]

    monkeypatch.setattr(headers, "_scan_in_processes", pool)
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # as in the command line
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    for load, expected in ((7.5, []), (6.5, []), (5.5, [len(files)])):
        pools.clear()
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        scans = scan_paths(files)
        assert pools == expected
        assert len(scans) == len(files) and all(s.error is not None for s in scans)
