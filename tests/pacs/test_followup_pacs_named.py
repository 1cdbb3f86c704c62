"""*Open follow-up*: a series picked through *PACS...* is named under its field by the study's date
and description and the series' number and description (the field keeps its ``pacs://`` UIDs, which
are what is compared); another path typed takes the name away. Until session 49 only the UIDs showed,
and a reader could not tell the studies apart (real Orthanc)."""

from __future__ import annotations

import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import shown_window
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from series_maker import SeriesSpec, write_series

from neuroview.io.pacs import save_server, store


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def test_a_series_picked_on_a_pacs_is_named_under_its_field(empty_orthanc, mni_volume, tmp_path,
                                                            monkeypatch, qtbot, window):
    from neuroview.ui.followup_open import OpenFollowupDialog

    prior = write_series(tmp_path / "prior", mni_volume, SeriesSpec(
        rows=16, cols=14, n_slices=4, series_number=5, description="T1 axial",
        extra=(("StudyDescription", "MRI brain"), ("StudyDate", "20230105"))))
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [prior.folder])
    dialog = OpenFollowupDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.pacs_notes["baseline"]
    assert note.isHidden()

    def pick():
        browser = QApplication.activeModalWidget()
        qtbot.mouseClick(browser.search_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 1, timeout=20000)
        row = browser.tree.topLevelItem(0).child(0).child(0)
        tree = browser.tree
        qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(row).center())
        qtbot.mouseClick(browser.open_button, Qt.LeftButton)

    QTimer.singleShot(100, pick)
    qtbot.mouseClick(dialog.pacs_buttons["baseline"], Qt.LeftButton)   # runs the browser
    field = dialog.edits["baseline"]
    uid = str(pydicom.dcmread(prior.files[0], stop_before_pixels=True).SeriesInstanceUID)
    assert field.text().startswith("pacs://lab/") and field.text().endswith("/" + uid)
    assert not note.isHidden()
    assert note.text() == "2023-01-05 MRI brain / 5 T1 axial (lab)"
    assert field.toolTip() == note.text()
    qtbot.keyClicks(field, "x")   # the field edited: no longer that series
    assert note.isHidden() and field.toolTip() == ""


def test_the_name_comes_back_when_the_dialog_is_opened_again(empty_orthanc, mni_volume, tmp_path,
                                                             monkeypatch, qtbot, window):
    """Session 49's walk: OK pressed (a mask not chosen: refused), *Open follow-up...* again: the
    field held its pacs:// UIDs again but no longer the series' name under it."""
    from followup_views import through_the_menu

    prior = write_series(tmp_path / "prior", mni_volume, SeriesSpec(
        rows=16, cols=14, n_slices=4, series_number=7, description="FLAIR",
        extra=(("StudyDescription", "MRI head"), ("StudyDate", "20220301"))))
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(empty_orthanc, name="lab")
    save_server(config)
    store(config, [prior.folder])

    def pick():
        browser = QApplication.activeModalWidget()
        qtbot.mouseClick(browser.search_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: browser.tree.topLevelItemCount() == 1, timeout=20000)
        row = browser.tree.topLevelItem(0).child(0).child(0)
        tree = browser.tree
        qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(row).center())
        qtbot.mouseClick(browser.open_button, Qt.LeftButton)

    def choose(dialog):
        QTimer.singleShot(100, pick)
        qtbot.mouseClick(dialog.pacs_buttons["baseline"], Qt.LeftButton)   # runs the browser
        dialog.model.setText("")   # no masks chosen nor made: refused at once
        return dialog.edits["baseline"].text()

    uri = through_the_menu(qtbot, window, choose, accept=True)
    assert uri.startswith("pacs://lab/")
    qtbot.waitUntil(lambda: "choose the baseline lesion mask" in window.message_bar.text, timeout=20000)
    again = through_the_menu(qtbot, window, lambda dialog: (
        dialog.edits["baseline"].text(), dialog.pacs_notes["baseline"].isHidden(),
        dialog.pacs_notes["baseline"].text(), dialog.edits["baseline"].toolTip()))
    assert again == (uri, False, "2022-03-01 MRI head / 7 FLAIR (lab)", "2022-03-01 MRI head / 7 FLAIR (lab)")
