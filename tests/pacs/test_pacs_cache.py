"""The series cache: bounded in size, least recently used evicted, partial folders never kept as
series (their images kept for a retry, a week at most; none after a refusal)."""

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


def test_images_kept_for_a_retry_go_after_a_week(tmp_path):
    """A cancelled retrieval's images (``.kept-UID``) wait a week for their retry, then go."""
    cache = SeriesCache(tmp_path)
    for uid in ("1.2.3", "1.2.4"):
        with pytest.raises(KeyboardInterrupt), cache.incoming(uid) as folder:
            (folder / "1.2.3.4.dcm").write_bytes(b"an image")
            raise KeyboardInterrupt
    assert cache.kept("1.2.3") == cache.kept("1.2.4") == 1
    eight_days_ago = time.time() - 8 * 86400
    os.utime(tmp_path / ".kept-1.2.3", (eight_days_ago, eight_days_ago))
    cache = SeriesCache(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kept-1.2.4"]
    assert cache.kept("1.2.3") == 0 and cache.kept("1.2.4") == 1


def test_a_refused_retry_keeps_nothing_of_the_earlier_tries(tmp_path):
    """Images kept by a cancel, then a retry refused (another patient's images, no room): its line
    says nothing was kept, and nothing is, of this try or the earlier one."""
    from neuroview.io.pacs.cache import KeptNothing

    cache = SeriesCache(tmp_path)
    with pytest.raises(KeyboardInterrupt), cache.incoming("1.2.3") as folder:
        (folder / "1.2.3.4.dcm").write_bytes(b"an image")
        raise KeyboardInterrupt
    with pytest.raises(KeptNothing), cache.incoming("1.2.3") as folder:
        assert sorted(p.name for p in folder.iterdir()) == ["1.2.3.4.dcm"]   # the retry starts there
        (folder / "1.2.3.5.dcm").write_bytes(b"another patient's")
        raise KeptNothing("refused; nothing was kept")
    assert list(tmp_path.iterdir()) == []


def test_a_retry_goes_on_when_another_program_keeps_images_meanwhile(tmp_path, monkeypatch):
    """Two programs retry one series: while this one takes the kept images, the other's failed try
    keeps one more in the ``.kept-`` folder. This retry goes on with what it took (the folder is
    not empty, so it is not removed) and the other's image stays kept for a later retry."""
    from neuroview.io.pacs import cache as cache_module

    cache = SeriesCache(tmp_path)
    with pytest.raises(KeyboardInterrupt), cache.incoming("1.2.3") as folder:
        (folder / "1.2.3.4.dcm").write_bytes(b"an image")
        raise KeyboardInterrupt
    real_replace = os.replace

    def replace_while_the_other_keeps_one(source, target):
        real_replace(source, target)
        (tmp_path / ".kept-1.2.3" / "1.2.3.9.dcm").write_bytes(b"the other program's image")

    monkeypatch.setattr(cache_module.os, "replace", replace_while_the_other_keeps_one)
    with cache.incoming("1.2.3") as folder:
        monkeypatch.setattr(cache_module.os, "replace", real_replace)
        assert sorted(p.name for p in folder.iterdir()) == ["1.2.3.4.dcm"]
        (folder / "1.2.3.5.dcm").write_bytes(b"the rest")
    assert sorted(p.name for p in cache.path("1.2.3").glob("*.dcm")) == ["1.2.3.4.dcm", "1.2.3.5.dcm"]
    assert cache.kept("1.2.3") == 1


def test_room_is_made_from_the_images_kept_for_a_retry_first(tmp_path):
    """A disk short of room (``evict_for``): the ``.kept-`` folders go first, oldest first, before
    any complete series (they stayed, and complete series went, until session 48)."""
    cache = SeriesCache(tmp_path)
    for number, uid in enumerate(("1.1", "1.2")):
        _fill(cache, uid, 1000)
        os.utime(cache.path(uid) / ".last-used", (time.time() - 100 + number,) * 2)
    for number, uid in enumerate(("1.8", "1.9")):
        with pytest.raises(KeyboardInterrupt), cache.incoming(uid) as folder:
            (folder / "1.2.3.4.dcm").write_bytes(b"x" * 1000)
            raise KeyboardInterrupt
        os.utime(tmp_path / f".kept-{uid}", (time.time() - 50 + number,) * 2)
    assert cache.evict_for(1000) == 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kept-1.9", "1.1", "1.2"]
    assert cache.evict_for(1500) == 2000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.2"]
    assert cache.kept("1.8") == cache.kept("1.9") == 0 and cache.lookup("1.2") is not None


def _cut_short(cache, uid, n_bytes, age_s):
    """A retrieval of ``uid`` cancelled with one image of ``n_bytes`` received, ``age_s`` ago."""
    with pytest.raises(KeyboardInterrupt), cache.incoming(uid) as folder:
        (folder / "1.9.1.dcm").write_bytes(b"k" * n_bytes)
        raise KeyboardInterrupt
    os.utime(cache.root / f".kept-{uid}", (time.time() - age_s,) * 2)


def test_images_kept_for_a_retry_count_toward_the_bound_and_go_first(tmp_path):
    """``max_gb`` bounds the kept images too (they grew past it until session 49, complete series
    evicted while they stayed): a retrieval that needs room deletes them, oldest first, before any
    cached series, and never those of the series it retrieves."""
    cache = SeriesCache(tmp_path, max_gb=3.5e6 / 1024**3)   # room for 3.5 MB
    _fill(cache, "1.1", 1_000_000)                          # a cached series of 1 MB
    for age, uid in ((30, "1.2"), (20, "1.3"), (10, "1.4")):
        _cut_short(cache, uid, 1_000_000, age)              # 1 MB kept each: 4 MB held
    with cache.incoming("1.3") as folder:                   # the retry of 1.3 starts from its image
        assert (folder / "1.9.1.dcm").stat().st_size == 1_000_000
        (folder / "1.9.2.dcm").write_bytes(b"r" * 1_000_000)
        (tmp_path / ".kept-1.3").mkdir()                    # another program's try of 1.3 meanwhile
        (tmp_path / ".kept-1.3" / "1.9.3.dcm").write_bytes(b"o" * 500_000)
    # 5.5 MB: the oldest kept (1.2), then 1.4's, go; 1.1 and both of 1.3's stay (3.5 MB)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kept-1.3", "1.1", "1.3"]
    assert cache.size() == 3_500_000 and cache.kept("1.3") == 1
    assert sorted(p.name for p in cache.path("1.3").glob("*.dcm")) == ["1.9.1.dcm", "1.9.2.dcm"]


def test_room_on_the_disk_never_takes_the_images_of_the_retrieval_in_progress(tmp_path):
    """A disk short of room mid-retrieval (``evict_for``) takes the other series' kept images and
    the cached series, not the images this retry started from."""
    cache = SeriesCache(tmp_path)
    _fill(cache, "1.1", 1000)
    _cut_short(cache, "1.2", 1000, 20)
    _cut_short(cache, "1.3", 1000, 10)
    with cache.incoming("1.3") as folder:
        assert cache.evict_for(10**9) == 2000
        assert sorted(p.name for p in folder.iterdir()) == ["1.9.1.dcm"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.3"]
