"""File > Open from PACS... of a reader's SEG drawn on the series on screen (opened from disk, real
Orthanc): its segments load as the labels of the image read, as File > Load labels... loads a SEG;
the server's copy of the image was opened over it until session 50, taking its place and view."""

from __future__ import annotations

import numpy as np
import pytest
from pacs_window import menu_action, reader_seg_on_server, shown_window
from PySide6.QtCore import Qt


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_a_seg_of_the_image_on_screen_loads_as_its_labels(empty_orthanc, small_series, tmp_path,
                                                          monkeypatch, qtbot, window):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    _config, _volume, mask = reader_seg_on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    window.open_paths([small_series.folder])
    qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    shown = window.controller.volume
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    rows = QTreeWidgetItemIterator(dialog.tree)
    while rows.value().text(2) != "SEG":
        rows += 1
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton,
                     pos=dialog.tree.visualItemRect(rows.value()).center())
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.editor.case.labels.array.any(), timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert window.controller.volume is shown   # the image read, from its folder on disk
    assert window.controller.volume.source_path == shown.source_path
    assert np.array_equal(window.editor.case.labels.array > 0, mask > 0)
    assert window.message_bar.text == ""


def test_a_seg_whose_image_is_not_on_the_server_says_so(empty_orthanc, small_series, tmp_path,
                                                        monkeypatch, qtbot, window):
    """Its image series gone from the server: one line says the SEG's image could not be
    retrieved (it said the server had 'no such series', not which one it was asked for)."""
    reader_seg_on_server(empty_orthanc, small_series, tmp_path, monkeypatch)
    for series in empty_orthanc.rest("/series"):
        if empty_orthanc.rest(f"/series/{series}")["MainDicomTags"].get("Modality") == "MR":
            empty_orthanc.rest(f"/series/{series}", method="DELETE")
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    seg = dialog.tree.topLevelItem(0).child(0).child(0)
    assert seg.text(2) == "SEG"
    qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=dialog.tree.visualItemRect(seg).center())
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.message_bar.text != "", timeout=30000)
    assert window.message_bar.text == (
        "the SEG was drawn on another series, its image, which could not be retrieved: lab "
        f"(NVORTHANC@127.0.0.1:{empty_orthanc.dicom_port}) has no such series in that study (its "
        "C-FIND finds none); nothing was retrieved")
    assert window.controller.volume is None
