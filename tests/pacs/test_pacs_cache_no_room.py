"""A series retrieved into the local cache onto a disk without room for it (*Open from PACS* in the
window, ``neuroview pacs get`` with either protocol): refused as its first image arrives, in one
line naming the cache's folder and the space the series needs, nothing kept; a disk that fills
midway says so. It ran until a write failed, and said "[Errno 28] No space left on device" with an
instance's file name (its UID) in a line about the server not sending the whole series."""

from __future__ import annotations

import errno
import os
import shutil

import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import menu_action, open_series, shown_window
from PySide6.QtCore import Qt

from neuroview.cli.main import main
from neuroview.core.memory import format_bytes
from neuroview.io.pacs import save_server, store

FREE = 5000   # bytes: less than the other 11 images of the 12 at the size of the first


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def _no_room_in(monkeypatch, folder):
    usage = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(path)._replace(free=FREE)
                        if str(path).startswith(str(folder)) else usage(path))


def _on_server(orthanc, series, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(orthanc, name="lab"))
    store(server_config(orthanc, name="lab"), [series.folder])
    return str(pydicom.dcmread(series.files[0], stop_before_pixels=True).SeriesInstanceUID)


def _says_no_room(line: str, cache, series: str) -> None:
    assert line.startswith(f"{cache}: no room for the series (12 images): it needs about "), line
    assert line.endswith(f", {format_bytes(FREE)} free there; nothing was kept, free some space and "
                         "retrieve it again"), line
    assert series not in line and "Errno" not in line


def test_open_from_pacs_refuses_a_series_with_no_room(empty_orthanc, small_series, tmp_path,
                                                       monkeypatch, qtbot, window):
    series = _on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    cache = tmp_path / "home" / "pacs-cache"
    _no_room_in(monkeypatch, cache)
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    open_series(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(window.message_bar.text) and not window.runner.busy, timeout=60000)
    _says_no_room(window.message_bar.text, cache, series)
    assert window.controller.volume is None and os.listdir(cache) == []


@pytest.mark.parametrize("protocol", ["dimse", "web"])
def test_pacs_get_refuses_a_series_with_no_room(empty_orthanc, small_series, tmp_path, monkeypatch,
                                                capsys, protocol):
    series = _on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    cache = tmp_path / "home" / "pacs-cache"
    get = ["pacs", "get", "--server", "lab", "--series", series, "--protocol", protocol,
           "-o", str(tmp_path / "out")]
    _no_room_in(monkeypatch, cache)
    assert main(get) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("neuroview: error: "), err
    _says_no_room(err[0].removeprefix("neuroview: error: "), cache, series)
    assert os.listdir(cache) == [] and not (tmp_path / "out" / series).exists()


def test_a_disk_that_fills_midway_is_said_in_one_line(empty_orthanc, small_series, tmp_path,
                                                      monkeypatch, capsys):
    series = _on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    cache = tmp_path / "home" / "pacs-cache"
    moved, move = [], shutil.move

    def full_at_the_third(source, target, *args, **kwargs):
        if str(target).startswith(str(cache)) and len(moved) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        moved.append(target)
        return move(source, target, *args, **kwargs)

    monkeypatch.setattr(shutil, "move", full_at_the_third)
    assert main(["pacs", "get", "--server", "lab", "--series", series, "--protocol", "dimse",
                 "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"neuroview: error: {cache}: the disk filled during the retrieval (2 of 12 images "
                   "received); nothing was kept, free some space and retrieve it again"]
    assert os.listdir(cache) == []


def test_older_cached_series_make_room_before_a_series_is_refused(empty_orthanc, small_series,
                                                                  tmp_path, monkeypatch, capsys):
    """The disk nearly full, but the cache holds an older series: that one is deleted (the least
    recently used first) and the new one retrieved, where 'free some space' was said while
    neuroview's own cache held it."""
    from neuroview.io.pacs import SeriesCache

    series = _on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    cache = tmp_path / "home" / "pacs-cache"
    with SeriesCache(cache).incoming("1.2.3") as folder:   # retrieved before: 1 MB
        (folder / "a.dcm").write_bytes(b"x" * 1_000_000)
    usage = shutil.disk_usage

    def nearly_full(path):   # FREE bytes, and what the cache's older series give back
        if not str(path).startswith(str(cache)):
            return usage(path)
        older = sum(f.stat().st_size for f in (cache / "1.2.3").rglob("*"))   # none once deleted
        return usage(path)._replace(free=FREE + 1_000_000 - older)

    monkeypatch.setattr(shutil, "disk_usage", nearly_full)
    assert main(["pacs", "get", "--server", "lab", "--series", series, "--protocol", "dimse",
                 "-o", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in cache.iterdir()) == [series]
    assert len(list((tmp_path / "out" / series).glob("*.dcm"))) == 12
