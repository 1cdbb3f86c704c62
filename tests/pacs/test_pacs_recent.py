"""*File > Recent* names a series retrieved from a PACS as *Open from PACS...* lists it (modality,
series number and description, date), not by its cache folder (``1.2.826...533005 - .../pacs-cache``
until session 47), never by the patient's name, and reopens it from the cache. Against the
tests' Orthanc, retrieved as *Retrieve and open* retrieves it."""

from __future__ import annotations

import json

import pydicom
import pytest
from orthanc_server import server_config
from pacs_series import uids
from pacs_window import shown_window

from neuroview.app.series_digest import series_digest
from neuroview.io.pacs import SeriesCache, retrieve, save_server, store
from neuroview.paths import user_data_dir


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_recent_names_a_pacs_series_as_the_pacs_lists_it(empty_orthanc, small_series, other_study, qtbot,
                                                        window):
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [small_series.folder])
    study, series = uids(small_series)
    folder = retrieve(config, study, series, SeriesCache())   # Retrieve and open: then opened
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=30000)
    window.open_paths([other_study.folder])   # something else in between
    qtbot.waitUntil(lambda: "CT" == window.controller.volume.modality and not window.runner.busy,
                    timeout=30000)
    head = pydicom.dcmread(small_series.files[0], stop_before_pixels=True)
    day = str(head.SeriesDate)   # the dialog's Date column: the series date and time
    clock = str(head.get("SeriesTime") or "")
    when = f"{day[:4]}-{day[4:6]}-{day[6:]}" + (f" {clock[:2]}:{clock[2:4]}" if clock else "")
    window._fill_recent()
    action = window.recent_menu.actions()[1]
    assert action.text() == f"MR {head.SeriesNumber} FLAIR pacs test, {when} — PACS"
    assert action.toolTip() == str(folder)   # the cache folder on hover, as for any folder
    kept = (user_data_dir() / "recent.json").read_text(encoding="utf-8")
    assert "Doe" not in kept and "Jane" not in kept   # no patient's name in the data folder
    action.trigger()   # reopened from the cache
    qtbot.waitUntil(lambda: window.controller.volume.modality == "MR" and not window.runner.busy,
                    timeout=30000)
    assert window.controller.volume.source_metadata["SeriesInstanceUID"] == series
    # the cache folder is named by the series' UID: the file keeps a digest of it (session 47's
    # first version kept the folder, so the UID, against Security and privacy's rule)
    assert series not in kept and study not in kept
    assert json.loads(kept)[1]["paths"] == [f"pacs-cache:{series_digest(folder.name)}"]
