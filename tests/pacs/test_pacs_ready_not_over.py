"""A series retrieved while the reader works on another image (opened after the retrieval was
asked, or measured) is offered, not opened over it (session 49's walk: a T2 asked for earlier
replaced the T1 being read); *Open* opens it, unsaved edits asking first. Over an image untouched
since, it opens as before; under a restore question waiting, a line points to the cache."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from orthanc_server import server_config
from pacs_window import menu_action, open_series, shown_window
from PySide6.QtCore import QPoint, Qt

from neuroview.io.pacs import save_server, store
from neuroview.ui.actions_edit import EditActions

ASKING = EditActions.confirm_replace   # the question tests/conftest.py answers 'keep' for others

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ui"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))


@pytest.fixture
def window(qtbot):
    yield from shown_window(qtbot)


@pytest.fixture
def held(empty_orthanc, small_series, tmp_path, monkeypatch):
    """The server 'lab' holding the small series; its retrieval answers once ``.set()``."""
    import neuroview.ui.pacs_dialog as pacs_dialog

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    save_server(server_config(empty_orthanc, name="lab"))
    store(server_config(empty_orthanc), [small_series.folder])
    real_retrieve, go_on = pacs_dialog.retrieve, threading.Event()

    def retrieve(*args, **kwargs):   # the real retrieval, its answer held
        folder = real_retrieve(*args, **kwargs)
        go_on.wait(20)
        return folder

    monkeypatch.setattr(pacs_dialog, "retrieve", retrieve)
    return go_on


def _retrieve(window, qtbot) -> None:
    """File > Open from PACS..., Search (the CT's patient ID cleared), the series clicked,
    Retrieve and open."""
    menu_action(window, "Open from PACS...").trigger()
    dialog = window.pacs_actions.dialog
    dialog.fields["PatientID"].clear()
    qtbot.mouseClick(dialog.search_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=20000)
    open_series(qtbot, dialog)


def test_a_series_retrieved_meanwhile_waits_for_open(held, small_series, other_study, qtbot, window):
    _retrieve(window, qtbot)
    window.open_paths([other_study.folder])   # the reader opens a CT meanwhile, and reads it
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=20000)
    held.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert window.controller.volume.shape[2] == len(other_study.files)   # the CT stays
    bar = window.notice_bar
    assert bar.text == "Series 3 FLAIR pacs test from lab is ready"
    qtbot.mouseClick(bar.buttons["Open"], Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume.shape[2] == len(small_series.files)
                    and not window.runner.busy, timeout=20000)


@pytest.mark.parametrize("measured", [False, True])
def test_over_the_image_asked_over_it_opens_unless_measured(held, small_series, other_study, qtbot,
                                                             window, measured):
    window.open_paths([other_study.folder])
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: not window.runner.busy and axial.last is not None, timeout=20000)
    if measured:   # a ruler drawn on the CT, in Ruler mode
        window.mode_actions["ruler"].trigger()
        qtbot.mousePress(axial, Qt.LeftButton, pos=QPoint(60, 100))
        qtbot.mouseMove(axial, QPoint(200, 100))
        qtbot.mouseRelease(axial, Qt.LeftButton, pos=QPoint(200, 100))
        assert len(window.controller.rulers) == 1
    _retrieve(window, qtbot)
    held.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    shown = len(other_study.files) if measured else len(small_series.files)
    qtbot.waitUntil(lambda: window.controller.volume.shape[2] == shown and not window.runner.busy,
                    timeout=20000)
    assert (window.notice_bar.text == "Series 3 FLAIR pacs test from lab is ready") == measured


def test_over_unsaved_edits_open_asks_first_and_cancel_keeps_them(held, tmp_path, qtbot, window,
                                                                   monkeypatch):
    from editor_helpers import answer_when_shown
    from PySide6.QtWidgets import QMessageBox
    from quit_windows import paint

    _path, painted = paint(qtbot, window, tmp_path)   # a NIfTI with a stroke not saved
    volume = window.controller.volume
    _retrieve(window, qtbot)
    held.set()
    qtbot.waitUntil(lambda: not window.runner.busy and "Open" in window.notice_bar.buttons,
                    timeout=20000)
    assert window.notice_bar.text == "Series 3 FLAIR pacs test from lab is ready"
    monkeypatch.setattr(EditActions, "confirm_replace", ASKING)
    asked = []
    answer_when_shown(lambda: window.edit_actions.quit_box, QMessageBox.Cancel, asked)
    qtbot.mouseClick(window.notice_bar.buttons["Open"], Qt.LeftButton)
    assert asked == ["The labels of this image have edits that are not saved."]
    assert window.controller.volume is volume and not window.runner.busy
    assert np.array_equal(window.editor.session.labels.array, painted)
    # still offered after Cancel (it went, the series cached and nothing saying so)
    assert window.notice_bar.isVisible() and "Open" in window.notice_bar.buttons
    assert window.notice_bar.text == "Series 3 FLAIR pacs test from lab is ready"


def test_a_restore_question_waiting_is_not_replaced(held, tmp_path, qtbot, window):
    from editor_helpers import INSIDE_CASE_RAS, leave_a_crashed_workspace, write_image

    _retrieve(window, qtbot)
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=3.0)
    window.open_paths([path])   # opened meanwhile: its restore question waits
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=20000)
    held.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20000)
    assert bar.text.split("\n")[1:] == [
        "Series 3 FLAIR pacs test from lab is ready: File > Open from PACS... opens it from the cache"]
    assert "Restore" in bar.buttons and "Open" not in bar.buttons
    assert window.controller.volume.shape == volume.shape
