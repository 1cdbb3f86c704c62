"""Steps in the Send to training set dialog: helpers that test_training_dialog.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.dataset.layout import init_dataset


def paint_segment_1(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    panel = window.edit_actions.panel
    panel.select_tool("paint")
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)          # "Segment 1", drawn by hand
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [8.0, 0, 0]])
    assert (session.labels.array == 1).sum() > 20
    return session


def tick(qtbot, check):
    """Click a check box's indicator (its middle may lie beyond the text, outside the button)."""
    qtbot.mouseClick(check, Qt.LeftButton, pos=QPoint(8, check.height() // 2))


def type_into(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key_Delete)
    qtbot.keyClicks(edit, text)


def send_to_new(qtbot, window, folder, name: str, annotator: str = "", timeout: int = 30000):
    """Send to a new training set ``name`` in ``folder`` (as ``annotator`` when given) through
    the dialog, OK clicked, until the notice names the first case."""
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(folder))
    dialog.create_check.setChecked(True)
    dialog.name_edit.setText(name)
    if annotator:
        dialog.annotator_edit.setText(annotator)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=timeout)


def send_active_segment(qtbot, window, session, tmp_path):
    """Send to a new training set labelled with the active segment's name, as dr.a, through the
    dialog; returns the name and the dataset once the notice names the first case."""
    name = session.segments.get(session.active_segment).name
    dataset = init_dataset(tmp_path, "Lesions", ["background", name])
    send_to(qtbot, window, dataset)
    return name, dataset


def send_to(qtbot, window, dataset):
    """Send to ``dataset`` as dr.a through the dialog, until the notice names the first case."""
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(dataset))
    type_into(qtbot, dialog.annotator_edit, "dr.a")
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    return dialog
