"""A retrieval cancelled says so until dismissed: another series opening (one retrieved beside it)
no longer takes the line away unread; the retry of that series ends it."""

from __future__ import annotations

import pytest
from orthanc_server import server_config
from pacs_window import menu_action, open_series, shown_window, slowed_retrieval
from PySide6.QtCore import Qt

from neuroview.io.pacs import save_server, store


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def _retrieve(window, qtbot, patient: int) -> None:
    """File > Open from PACS..., the first series of ``patient``'s study clicked, Retrieve and open."""
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    if not dialog.tree.topLevelItemCount():
        qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 2, timeout=20000)
    open_series(qtbot, dialog, patient)


def test_the_cancel_line_stays_while_another_series_opens(empty_orthanc, small_series, other_study,
                                                           tmp_path, monkeypatch, qtbot, window):
    import neuroview.ui.pacs_dialog as pacs_dialog

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder, other_study.folder])
    real_retrieve = pacs_dialog.retrieve
    seen = slowed_retrieval(monkeypatch, 0.2)
    _retrieve(window, qtbot, 0)                         # Doe Jane's series, cancelled
    qtbot.waitUntil(lambda: window.cancel_button.isVisible() and len(seen) >= 3, timeout=20000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    line = window.notice_bar.text
    # which of two retrievals was cancelled: its series named (session 49)
    assert line.startswith("Retrieval of series 3 FLAIR pacs test cancelled: the ")
    assert "kept for a retry" in line
    monkeypatch.setattr(pacs_dialog, "retrieve", real_retrieve)
    _retrieve(window, qtbot, 1)                         # Roe Max's CT opens
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    assert window.controller.volume.shape[2] == len(other_study.files)
    assert line in window.notice_bar.text.split("\n")   # it went as the CT opened (session 49)
    _retrieve(window, qtbot, 0)                         # the retry: its series opens, the line goes
    qtbot.waitUntil(lambda: window.controller.volume.shape[2] == len(small_series.files)
                    and not window.runner.busy, timeout=30000)
    assert line not in window.notice_bar.text
