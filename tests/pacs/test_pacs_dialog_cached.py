"""*Open from PACS...* marks the series the local cache holds whole ("cached", its tooltip saying it
opens without retrieving), again when the dialog is shown after a retrieval; such a series opens
from the cache without asking the server (real Orthanc). Nothing said it until session 49."""

from __future__ import annotations

import pytest
from orthanc_server import server_config
from pacs_window import search_in_dialog, shown_window
from PySide6.QtCore import Qt


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def _series_row(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    return dialog.tree.topLevelItem(0).child(0).child(0)


def test_a_cached_series_is_marked_and_opens_without_the_server(orthanc_factory, small_series, tmp_path,
                                                                 monkeypatch, qtbot, window):
    from neuroview.io.pacs import store

    server = orthanc_factory()   # its own: killed below
    config = server_config(server, name="lab")
    store(config, [small_series.folder])
    dialog = search_in_dialog(window, qtbot, config, tmp_path / "home", monkeypatch)
    row = _series_row(qtbot, dialog)
    assert dialog.tree.headerItem().text(4) == "Cache"
    assert (row.text(4), row.toolTip(4)) == ("", "")   # not retrieved yet
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=dialog.tree.visualItemRect(row).center())
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=60000)
    first = window.controller.volume.source_path

    window.pacs_actions.open_dialog()   # shown again, the same search: the series retrieved meanwhile
    assert (row.text(4), row.toolTip(4)) == ("cached", "In this computer's cache, opens without retrieving")
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)   # a new search marks it too
    qtbot.waitUntil(lambda: dialog.status.text().startswith("1 patient"), timeout=20000)
    row = _series_row(qtbot, dialog)
    assert row.text(4) == "cached"

    server.kill()   # no server to ask: the search's count opens the cached copy
    assert window.close_image() and window.controller.volume is None
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=dialog.tree.visualItemRect(row).center())
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert window.controller.volume is not None and window.controller.volume.source_path == first
    assert not window.message_bar.isVisible()
