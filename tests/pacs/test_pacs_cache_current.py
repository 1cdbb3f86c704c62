"""A cached series is used only while the server lists as many images of it: one the scanner sent
on after the first retrieval (or whose images the archive deleted) is retrieved anew. Until
session 47 the first copy was opened for good: 6 of 12 slices, nothing said (found in the walk:
a CT stored in two halves, `pacs get` gave 20 files where the server listed 40)."""

from __future__ import annotations

import numpy as np
import pytest
from orthanc_server import server_config
from pacs_series import uids

from neuroview.cli.main import main
from neuroview.io import load
from neuroview.io.pacs import SeriesCache, retrieve, save_server, store


def _sent_in_halves(orthanc, series, tmp_path):
    """The server holds the first 6 of ``series``' 12 images: (config, the rest's folder)."""
    first, rest = tmp_path / "first", tmp_path / "rest"
    for folder, files in ((first, series.files[:6]), (rest, series.files[6:])):
        folder.mkdir()
        for file in files:
            (folder / file.name).write_bytes(file.read_bytes())
    config = server_config(orthanc, name="lab")
    store(config, [first])
    return config, rest


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_images_sent_on_are_retrieved(empty_orthanc, small_series, tmp_path, protocol):
    config, rest = _sent_in_halves(empty_orthanc, small_series, tmp_path)
    study, series = uids(small_series)
    cache = SeriesCache(tmp_path / "cache")
    assert load(retrieve(config, study, series, cache, protocol)).shape[2] == 6
    store(config, [rest])   # the scanner sends the rest
    volume = load(retrieve(config, study, series, cache, protocol))
    assert np.array_equal(np.asarray(volume.array), np.asarray(load(small_series.folder).array))
    # current: taken from the cache (the server's copy deleted, the count not asked)
    empty_orthanc.clear()
    assert load(retrieve(config, study, series, cache, protocol, images=12)).shape[2] == 12


def test_pacs_get_retrieves_images_sent_on(empty_orthanc, small_series, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config, rest = _sent_in_halves(empty_orthanc, small_series, tmp_path)
    save_server(config)
    _study, series = uids(small_series)
    get = ["pacs", "get", "--server", "lab", "--series", series]
    assert main([*get, "-o", str(tmp_path / "monday")]) == 0
    store(config, [rest])
    assert main([*get, "-o", str(tmp_path / "tuesday")]) == 0
    printed = capsys.readouterr().out
    assert f"monday/{series}: 6 files" in printed and f"tuesday/{series}: 12 files" in printed
