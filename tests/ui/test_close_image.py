"""File > Close (Ctrl+W): the image, its labels and measurements close, the window stays empty.

Unsaved edits ask the Save / Discard / Cancel question that opening another image asks; the
question is answered with a real click on its button, Ctrl+W is pressed on the axial view."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    answer_when_shown,
    open_image,
    save_and_wait,
    shortcut,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from quit_windows import paint

from neuroview.app.case import workspace_for
from neuroview.app.restore_offer import has_workspace
from neuroview.app.view_measure import Ruler


def ctrl_w(qtbot, window, button, asked):
    """Ctrl+W, ``button`` clicked in the unsaved-edits question if it is asked (its text in ``asked``)."""
    answer_when_shown(lambda: window.edit_actions.quit_box, button, asked)
    shortcut(qtbot, window, Qt.Key_W, Qt.ControlModifier)


def test_cancel_keeps_the_image_discard_closes_it_and_the_journal_offers_nothing(qtbot, window, tmp_path):
    path, painted = paint(qtbot, window, tmp_path)
    volume = window.controller.volume
    window.controller.add_ruler(Ruler("axial", INSIDE_CASE_RAS, INSIDE_CASE_RAS + [10.0, 0, 0]))
    assert window.measurements.count() == 1
    asked = []
    ctrl_w(qtbot, window, QMessageBox.Cancel, asked)
    assert asked and "not saved" in asked[0]
    assert window.controller.volume is volume and window.editor.session is not None
    assert np.array_equal(window.editor.session.labels.array, painted)
    assert window.measurements.count() == 1 and window.windowTitle() != "neuroview"

    asked = []
    ctrl_w(qtbot, window, QMessageBox.Discard, asked)
    assert asked and "not saved" in asked[0]
    qtbot.waitUntil(lambda: window.controller.volume is None, timeout=10000)
    assert window.editor.session is None and window.controller.labels is None
    assert window.controller.rulers == [] and window.measurements.count() == 0
    assert window.windowTitle() == "neuroview"
    assert "Image closed" in window.statusBar().currentMessage()
    assert not has_workspace(workspace_for(volume))   # the journal holds nothing to offer
    window.slice_views["axial"].repaint()   # the empty view paints (no error on the red bar)
    assert not window.message_bar.isVisible()

    open_image(qtbot, window, path)   # opened again: no restore question, no labels
    session = wait_for_session(qtbot, window)
    assert not session.labels.array.any()
    assert "Restore" not in window.notice_bar.buttons or not window.notice_bar.isVisible()


def test_saved_work_closes_without_a_question(qtbot, window, tmp_path):
    paint(qtbot, window, tmp_path)
    save_and_wait(window, tmp_path / "labels.nii.gz")
    asked = []
    ctrl_w(qtbot, window, QMessageBox.Cancel, asked)   # were it asked: Cancel, the image stays
    qtbot.waitUntil(lambda: window.controller.volume is None or bool(asked), timeout=10000)
    assert asked == [] and window.controller.volume is None and window.editor.session is None


def test_close_in_the_file_menu_with_ctrl_w(qtbot, window):
    action = next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Close")
    assert "Ctrl+W" in [k.toString() for k in action.shortcuts()]
    shortcuts = [k.toString() for a in window.findChildren(type(action)) if a is not action
                 for k in a.shortcuts()]
    assert "Ctrl+W" not in shortcuts   # no other action takes the key


def test_a_worklist_stays_open_and_gives_up_the_closed_case(qtbot, window, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    a_path, b_path = (write_image(cases, name)[0] for name in ("a_case", "b_case"))
    training = window.training_actions
    training.open_worklist(cases)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
    assert window.controller.volume.source_path == str(a_path)
    state = cases / ".neuroview-worklist.json"
    assert [c["case"] for c in json.loads(state.read_text())["open_by"].values()] == ["a_case.nii.gz"]

    ctrl_w(qtbot, window, QMessageBox.Cancel, [])   # nothing edited: no question
    qtbot.waitUntil(lambda: window.controller.volume is None, timeout=10000)
    assert training.worklist is not None and training.next_action.isEnabled()
    assert json.loads(state.read_text())["open_by"] == {}   # a_case free for the others

    training.next_action.trigger()   # Next case goes on from the closed one
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    assert window.controller.volume.source_path == str(b_path)


def test_close_keeps_the_layout_chosen_and_goes_back_to_navigate(qtbot, window, tmp_path):
    path, _ = paint(qtbot, window, tmp_path)   # Paint picked, a stroke drawn
    save_and_wait(window, tmp_path / "labels.nii.gz")
    shortcut(qtbot, window, Qt.Key_2, Qt.ControlModifier)   # View > One row of three
    assert not window.view3d.isVisible()
    assert window.controller.mode == "paint" and window.edit_actions.panel.tool == "paint"

    ctrl_w(qtbot, window, QMessageBox.Cancel, [])
    qtbot.waitUntil(lambda: window.controller.volume is None, timeout=10000)
    assert [n for n, v in window.views.items() if v.isVisible()] == ["axial", "sagittal", "coronal"]
    assert window.layout_actions["one-row"].isChecked()
    assert window.controller.mode == "navigate" and window.edit_actions.panel.tool == "navigate"
    assert window.mode_actions["navigate"].isChecked()

    shortcut(qtbot, window, Qt.Key_F3)   # the Ruler, picked with no image: Close puts it back too
    assert window.controller.mode == "ruler"
    open_image(qtbot, window, path)   # the next image comes in the layout chosen
    assert not window.view3d.isVisible() and window.layout_actions["one-row"].isChecked()
    ctrl_w(qtbot, window, QMessageBox.Cancel, [])
    qtbot.waitUntil(lambda: window.controller.volume is None, timeout=10000)
    assert window.controller.mode == "navigate" and window.mode_actions["navigate"].isChecked()


def test_the_next_image_opened_clears_image_closed(qtbot, window, tmp_path):
    """Close, then open another image: the status line no longer says 'Image closed' over it (it
    did for 15 s, or until the pointer crossed a slice view)."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    shortcut(qtbot, window, Qt.Key_W, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.controller.volume is None, timeout=10000)
    assert "Image closed" in window.statusBar().currentMessage()
    other, _ = write_image(tmp_path, name="other")
    open_image(qtbot, window, other)
    assert window.controller.volume.source_path.endswith("other.nii.gz")
    assert "Image closed" not in window.statusBar().currentMessage()
