"""File > Open from PACS... Search counts the studies whose series it asks for in the status bar
(one query each: 500 studies took 8 s from a local Orthanc, longer from a hospital's, with
"Searching..." and nothing moving until session 39), and asks them over one association (it
opened one a study: 4.8 times as long)."""

from __future__ import annotations

import pytest
from orthanc_server import server_config
from pacs_window import shown_window
from pydicom.uid import generate_uid
from PySide6.QtCore import Qt
from series_maker import SeriesSpec, write_series


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_search_counts_the_studies_in_the_status_bar(empty_orthanc, tmp_path, mni_volume, monkeypatch,
                                                     qtbot, window):
    from neuroview.io.pacs import dimse, save_server, store

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    folders = [write_series(tmp_path / f"s{n}", mni_volume, SeriesSpec(
        rows=8, cols=8, n_slices=2, extra=(("StudyInstanceUID", generate_uid()),))).folder
        for n in range(3)]
    store(server_config(empty_orthanc), folders)
    save_server(server_config(empty_orthanc, name="lab"))
    opened = []
    real_associate = dimse.associate
    monkeypatch.setattr(dimse, "associate", lambda *a, **k: opened.append(1) or real_associate(*a, **k))
    shown = []
    window.runner.job_progress.connect(lambda _job, _done, _total, text: shown.append(text))
    window.pacs_actions.open_dialog()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text() == "1 patient, 3 studies, 3 series", timeout=30000)
    assert len(opened) == 2   # the studies, then the series of all three
    # the runner thins counts that come within 50 ms of the one before: the first always shows
    assert shown[0] == "Searching lab: the series of study 1 of 3"
    assert set(shown) <= {f"Searching lab: the series of study {n} of 3" for n in (1, 2, 3)}
