"""*Open follow-up*: a series picked through *PACS...* is shown in its field by the study's date
and description and the series' number and description, its ``pacs://`` UIDs (what is compared)
kept inside; another path typed replaces it. Until session 49 only the UIDs showed, and a reader
could not tell the studies apart; until session 51 the field showed the UIDs, the name under it
(real Orthanc)."""

from __future__ import annotations

import pydicom
import pytest
from orthanc_server import server_config
from pacs_window import pick_series, shown_window
from PySide6.QtCore import Qt, QTimer
from series_maker import SeriesSpec, write_series

from neuroview.io.pacs import save_server, store


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


def _on_lab(orthanc, mni_volume, tmp_path, monkeypatch, number: int, description: str,
            study: str, date: str):
    """A series ``number`` ``description`` of a study ``study`` of ``date`` on the user's one
    server, ``lab``: the series written."""
    prior = write_series(tmp_path / "prior", mni_volume, SeriesSpec(
        rows=16, cols=14, n_slices=4, series_number=number, description=description,
        extra=(("StudyDescription", study), ("StudyDate", date))))
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    config = server_config(orthanc, name="lab")
    save_server(config)
    store(config, [prior.folder])
    return prior


def test_a_series_picked_on_a_pacs_is_named_under_its_field(empty_orthanc, mni_volume, tmp_path,
                                                            monkeypatch, qtbot, window):
    from neuroview.ui.followup_open import OpenFollowupDialog

    prior = _on_lab(empty_orthanc, mni_volume, tmp_path, monkeypatch, 5, "T1 axial", "MRI brain",
                    "20230105")
    dialog = OpenFollowupDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()

    QTimer.singleShot(100, lambda: pick_series(qtbot))
    qtbot.mouseClick(dialog.pacs_buttons["baseline"], Qt.LeftButton)   # runs the browser
    field = dialog.edits["baseline"]
    uid = str(pydicom.dcmread(prior.files[0], stop_before_pixels=True).SeriesInstanceUID)
    address = dialog.paths()["baseline"]
    assert address.startswith("pacs://lab/") and address.endswith("/" + uid)
    assert field.text() == "2023-01-05 MRI brain / 5 T1 axial (lab)"
    assert field.toolTip() and uid not in field.toolTip()
    qtbot.keyClicks(field, "x")   # the field edited: no longer that series
    assert field.toolTip() == "" and not dialog.paths()["baseline"].startswith("pacs://")


def test_the_name_comes_back_when_the_dialog_is_opened_again(empty_orthanc, mni_volume, tmp_path,
                                                             monkeypatch, qtbot, window):
    """Session 49's walk: OK pressed (a mask not chosen: refused), *Open follow-up...* again: the
    field held its pacs:// UIDs again but no longer the series' name under it."""
    from tests.followup_menu import through_the_menu

    _on_lab(empty_orthanc, mni_volume, tmp_path, monkeypatch, 7, "FLAIR", "MRI head", "20220301")

    def choose(dialog):
        QTimer.singleShot(100, lambda: pick_series(qtbot))
        qtbot.mouseClick(dialog.pacs_buttons["baseline"], Qt.LeftButton)   # runs the browser
        dialog.model.setText("")   # no masks chosen nor made: refused at once
        return dialog.paths()["baseline"]

    uri = through_the_menu(qtbot, window, choose, accept=True)
    assert uri.startswith("pacs://lab/")
    qtbot.waitUntil(lambda: "choose the baseline lesion mask" in window.message_bar.text, timeout=20000)
    again = through_the_menu(qtbot, window, lambda dialog: (
        dialog.paths()["baseline"], dialog.edits["baseline"].text()))
    assert again == (uri, "2022-03-01 MRI head / 7 FLAIR (lab)")


def test_an_older_prior_picked_on_a_pacs_makes_the_study_on_screen_the_follow_up(
        empty_orthanc, mni_volume, tmp_path, monkeypatch, qtbot, window):
    """Session 50's walk: the current study (2024-03-10) on screen, the prior (2023-01-05) picked
    through the follow-up field's *PACS...*: the current stayed the baseline, its line saying it
    would move, and OK was refused ('follow-up 1 is older than the baseline'). The browser's
    study date places them, as a local prior's date does, and the prior's name goes with it."""
    from tests.followup_menu import through_the_menu

    current = write_series(tmp_path / "current", mni_volume, SeriesSpec(
        rows=16, cols=14, n_slices=4, extra=(("StudyDescription", "MRI brain"), ("StudyDate", "20240310"))))
    _on_lab(empty_orthanc, mni_volume, tmp_path, monkeypatch, 5, "T1 axial", "MRI brain", "20230105")
    window.open_paths([current.folder])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=20000)

    def choose(dialog):
        QTimer.singleShot(100, lambda: pick_series(qtbot))
        qtbot.mouseClick(dialog.pacs_buttons["followup"], Qt.LeftButton)   # runs the browser
        return (dialog.paths()["baseline"].startswith("pacs://lab/"),
                dialog.paths()["followup"], dialog.on_screen.note.text(),
                # the prior's name went with it (it stayed under Follow-up image, the current's)
                dialog.edits["baseline"].text(), dialog.edits["followup"].text(),
                dialog.edits["baseline"].cursorPosition())   # the name's start shown, not its end

    assert through_the_menu(qtbot, window, choose) == (
        True, str(current.folder), 'The study on screen (MR, "MRI brain", dated 2024-03-10) is '
        "filled in as the follow-up: it is later than the baseline (2023-01-05).",
        "2023-01-05 MRI brain / 5 T1 axial (lab)", str(current.folder), 0)
