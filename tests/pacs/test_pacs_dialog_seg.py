"""File > Open from PACS... with a reader's SEG on the server (real Orthanc): the study row lists
its modalities, the SEG opens over its image, the segment list names it as a reader knows it."""

from __future__ import annotations

import numpy as np
import pytest
from pacs_window import menu_action, reader_seg_on_server, shown_window
from PySide6.QtCore import Qt


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_a_seg_series_opens_over_its_image(empty_orthanc, small_series, tmp_path, monkeypatch, qtbot,
                                           window):
    """A reader's SEG listed in the search, chosen with Retrieve and open: its image series is
    retrieved too and opened with the SEG as its labels, as Slicer's DICOM browser loads a SEG (it
    was retrieved alone, then 'no image found: <cache path>: <cache path>/<UID>.dcm: skipped, SEG
    segmentation ... is not an image'). The follow-up's chooser says a SEG is no time point."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    from neuroview.ui.pacs_dialog import PacsDialog

    _config, volume, mask = reader_seg_on_server(empty_orthanc, small_series, tmp_path, monkeypatch)

    def choose_seg(dialog):
        qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
        study = dialog.tree.topLevelItem(0).child(0)
        assert study.text(2) == "MR, SEG"   # ModalitiesInStudy, shown as a list (it read MR\\SEG)
        assert sorted(study.child(i).text(2) for i in range(study.childCount())) == ["MR", "SEG"]
        dialog.grab().save(str(tmp_path / "pacs_tree.png"))
        iterator = QTreeWidgetItemIterator(dialog.tree)
        while iterator.value() is not None and iterator.value().text(2) != "SEG":
            iterator += 1
        assert "Ann Smith's version" in iterator.value().text(0)
        where = dialog.tree.visualItemRect(iterator.value()).center()
        qtbot.mouseClick(dialog.tree.viewport(), Qt.LeftButton, pos=where)
        qtbot.mouseClick(dialog.open_button, Qt.LeftButton)

    menu_action(window, "Open from PACS...").trigger()
    choose_seg(window.pacs_actions.dialog)
    qtbot.waitUntil(lambda: window.editor.case is not None and window.editor.case.labels.array.any(),
                    timeout=60000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert window.message_bar.text == ""
    assert window.controller.volume.shape == volume.shape
    assert np.array_equal(window.editor.case.labels.array > 0, mask > 0)
    # the segment list names the SEG by its series description (it read the cache file's name,
    # 'file 1.2.826.0....dcm'); its record keeps no UID, description or name
    table = window.edit_actions.panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() != "", timeout=10000)
    assert table.item(0, 4).text() == "SEG Lesions - Ann Smith's version"
    window.grab().save(str(tmp_path / "seg_opened.png"))
    assert window.editor.case.labels.segments.get(1).to_dict()["file"] == "DICOM SEG"
    picker = PacsDialog(window, pick=True)
    choose_seg(picker)
    assert picker.isVisible() is False and picker.chosen_uri == ""
    assert picker.status.text() == "A SEG is a reader's mask, not an image: choose the image series"
