"""The series cache: bounded in size, least recently used evicted, partial folders never kept."""

from __future__ import annotations

import os
import time

import pytest

from neuroview.io.pacs import PacsError, SeriesCache


def _fill(cache, uid, n_bytes):
    with cache.incoming(uid) as folder:
        (folder / "a.dcm").write_bytes(b"x" * n_bytes)


def test_lru_eviction_keeps_the_recent_ones(tmp_path):
    cache = SeriesCache(tmp_path, max_gb=2.5e6 / 1024**3)  # room for two series of 1 MB
    for number, uid in enumerate(("1.1", "1.2", "1.3")):
        _fill(cache, uid, 1_000_000)
        os.utime(cache.path(uid) / ".last-used", (time.time() + number, time.time() + number))
        if uid == "1.2":
            # 1.1 used again after 1.2 arrived: 1.2 becomes the least recently used
            stamp = time.time() + 1.5
            assert cache.lookup("1.1") is not None
            os.utime(cache.path("1.1") / ".last-used", (stamp, stamp))
    assert sorted(p.name for p in cache.series()) == ["1.1", "1.3"]


def test_failed_transfer_leaves_nothing_and_leftovers_are_swept(tmp_path):
    cache = SeriesCache(tmp_path)
    with pytest.raises(RuntimeError):
        with cache.incoming("1.2.3") as folder:
            (folder / "a.dcm").write_bytes(b"half")
            raise RuntimeError("connection lost")
    assert list(tmp_path.iterdir()) == [] and cache.lookup("1.2.3") is None
    (tmp_path / ".partial-crashed").mkdir()
    SeriesCache(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_opening_the_cache_keeps_a_transfer_in_progress(tmp_path):
    import subprocess
    import sys

    first = SeriesCache(tmp_path)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (tmp_path / f".partial-{gone}-crashed").mkdir()  # its process has exited
    with first.incoming("1.2.3") as folder:
        (folder / "a.dcm").write_bytes(b"first half")
        SeriesCache(tmp_path)  # another window or command opens the cache meanwhile
        (folder / "b.dcm").write_bytes(b"second half")
    assert sorted(p.name for p in first.path("1.2.3").iterdir()) == [".last-used", "a.dcm", "b.dcm"]
    assert not (tmp_path / f".partial-{gone}-crashed").exists()


def test_uids_cannot_escape_the_cache(tmp_path):
    with pytest.raises(PacsError, match="not a DICOM UID"):
        SeriesCache(tmp_path).path("../../etc")
