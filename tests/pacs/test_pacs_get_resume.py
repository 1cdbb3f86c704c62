"""A retrieval cancelled after 3 of 12 images, retried, asks the server for the 9 others only
(C-GET / C-MOVE per instance, WADO-RS per instance): the 3 received are kept for the retry,
checked against the server's list of the series and read whole. Until session 48 a retry fetched
the whole series again. A program killed mid-transfer leaves its images for the next retry too,
but not a file cut short. Against the tests' Orthanc; the images the server sends are counted as
neuroview reads them (C-STORE) or asks for them (WADO-RS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pydicom
import pytest
from orthanc_server import server_config
from pacs_series import pixels_by_uid, uids

from neuroview.core.errors import Cancelled
from neuroview.io.pacs import SeriesCache, retrieve, store


def _count_sent(monkeypatch, protocol: str) -> list:
    """The SOPInstanceUIDs the server sends from now on, as they reach neuroview."""
    sent = []
    if protocol == "web":
        import requests

        real_send = requests.Session.send

        def send(self, request, **kwargs):
            if "/instances/" in request.url:
                sent.append(request.url.rsplit("/", 1)[1])
            return real_send(self, request, **kwargs)

        monkeypatch.setattr(requests.Session, "send", send)
    else:
        from neuroview.io.pacs import dimse

        real_read = dimse.read_instance

        def read(source, what, **options):   # each C-STORE received is read here once
            sent.append(what.rsplit(" ", 1)[1])
            return real_read(source, what, **options)

        monkeypatch.setattr(dimse, "read_instance", read)
    return sent


@pytest.mark.parametrize("protocol", ["dimse", "move", "web"])
def test_a_retry_after_a_cancel_fetches_only_the_rest(empty_orthanc, small_series, tmp_path, monkeypatch,
                                                      protocol):
    config = server_config(empty_orthanc, move_port=empty_orthanc.client_port if protocol == "move" else 0)
    protocol = "dimse" if protocol == "move" else protocol
    store(config, [small_series.folder])
    study, series = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")
    stop = []

    def progress(done, _total, _text):
        if done >= 3:
            stop.append(done)

    with pytest.raises(Cancelled) as cancelled:
        retrieve(config, study, series, cache, protocol, progress=progress, cancel=lambda: bool(stop))
    assert str(cancelled.value) == ("retrieval cancelled; the 3 images received are kept for a retry, "
                                    "which fetches only the rest")
    assert cache.lookup(series) is None and cache.kept(series) == 3
    kept = {file.stem for file in (tmp_path / "cache" / f".kept-{series}").iterdir()}
    # Cancel while the retry checks the kept images (each read whole): they stay kept
    checking = []
    with pytest.raises(Cancelled) as cancelled:
        retrieve(config, study, series, cache, protocol, progress=lambda *report: checking.append(report),
                 cancel=lambda: len(checking) >= 2)
    assert checking == [(0, 3, "checking 3 kept images..."), (1, 3, "checking 3 kept images...")]
    assert str(cancelled.value).startswith("retrieval cancelled; the 3 images received are kept")
    assert cache.kept(series) == 3

    sent = _count_sent(monkeypatch, protocol)
    seen = []
    folder = retrieve(config, study, series, cache, protocol, progress=lambda *report: seen.append(report))
    assert len(sent) == 9 and not kept & set(sent)
    # the check counted (until session 48 it said nothing), then the transfer from the images kept
    assert [report[:2] for report in seen[:4]] == [(0, 3), (1, 3), (2, 3), (3, 12)]
    assert seen[0][2] == "checking 3 kept images..." and seen[-1][:2] == (12, 12)
    expected = pixels_by_uid(small_series.folder)
    got = pixels_by_uid(folder)
    assert sorted(got) == sorted(expected)
    assert all((got[uid] == expected[uid]).all() for uid in expected)
    assert cache.kept(series) == 0 and not list((tmp_path / "cache").glob(".*-*"))


def test_a_program_killed_mid_transfer_leaves_its_whole_images(empty_orthanc, small_series, tmp_path,
                                                                monkeypatch):
    """The partial folder of a program that was killed: 3 whole images are taken, a file cut short
    (named as a whole one, as a power cut may leave it), one of another series and a half-written
    ``.part`` are not: 9 images come again."""
    config = server_config(empty_orthanc)
    store(config, [small_series.folder])
    study, series = uids(small_series)
    files = {str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID): f for f in small_series.files}
    names = sorted(files)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    root = tmp_path / "cache"
    partial = root / f".partial-{gone}-{series}-x1y2"
    partial.mkdir(parents=True)
    for uid in names[:3]:
        shutil.copy(files[uid], partial / f"{uid}.dcm")
    whole = files[names[3]].read_bytes()
    (partial / f"{names[3]}.dcm").write_bytes(whole[:-10])                # cut short
    (partial / f"{names[4]}.dcm.part").write_bytes(whole[:100])
    other = pydicom.dcmread(files[names[5]])
    other.SeriesInstanceUID = "1.2.3.4"
    other.save_as(partial / f"{names[5]}.dcm")                           # another series'

    cache = SeriesCache(root)
    assert not partial.exists() and cache.kept(series) == 5
    sent = _count_sent(monkeypatch, "dimse")
    folder = retrieve(config, study, series, cache, "dimse")
    assert sorted(sent) == sorted(names[3:])
    assert sorted(pixels_by_uid(folder)) == names
    assert sorted(os.listdir(root)) == [series]
