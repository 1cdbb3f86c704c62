"""File > Open from PACS... of a reader's SEG on an image whose earlier session ended without
closing it (a crash): the restore question comes as the image opens, and the SEG is loaded once it
is answered (it was refused with "wait a moment: this image's earlier edits are being read" and
never loaded: the reader had to find the SEG in the tree and open it again)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from pacs_window import menu_action, reader_seg_on_server, shown_window
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_a_seg_opened_over_an_image_with_a_restore_question_loads_once_answered(
        empty_orthanc, small_series, tmp_path, monkeypatch, qtbot, window):
    from editor_helpers import leave_a_crashed_workspace
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    _config, volume, mask = reader_seg_on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    leave_a_crashed_workspace(volume, volume.center_ras, radius_mm=3.0)   # edits a crash left

    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    iterator = QTreeWidgetItemIterator(dialog.tree)
    while iterator.value() is not None and iterator.value().text(2) != "SEG":
        iterator += 1
    where = dialog.tree.visualItemRect(iterator.value()).center()
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=where)
    qtbot.mouseDClick(dialog.tree.viewport(), Qt.LeftButton, pos=where)

    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Discard" in bar.buttons and bar.buttons["Discard"].isVisible(),
                    timeout=60000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    qtbot.wait(300)   # the SEG's load, queued as the image opened, has had its turn
    assert window.editor.case is None   # the question waits: nothing is loaded under it
    bar.buttons["Discard"].click()
    qtbot.waitUntil(lambda: window.editor.case is not None and window.editor.case.labels.array.any(),
                    timeout=20000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert np.array_equal(window.editor.case.labels.array > 0, mask > 0)
    assert window.message_bar.isHidden() or "wait a moment" not in window.message_bar.text
