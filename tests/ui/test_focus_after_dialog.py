"""After one of the window's dialogs closes (answered or cancelled) the window's keys work again
without a click: Ctrl+Z undoes the stroke, P picks the brush. With no window manager nothing was
active after the dialog went and the keys went nowhere; offscreen shows it as Xvfb alone does.
The keys are typed as a keyboard does, into the window Qt has the focus in, never into a window
the test picks. Session 37's first attempt crashed the process when the PACS worklist dialog's
OK closed it: tests/pacs/test_pacs_worklist.py::test_make_worklist_in_the_window runs that flow.

Without ``focus_return`` all four fail, offscreen and on xcb (``xvfb-run -a -s "-screen 0
1920x1080x24" env QT_QPA_PLATFORM=xcb .venv/bin/python -m pytest -p no:xvfb`` this file)."""

from __future__ import annotations

import pytest
from editor_helpers import INSIDE_CASE_RAS, activate, paint_a_lesion, stroke
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QProgressDialog

from neuroview.ui import model_choice
from neuroview.ui.model_choice import SegmentDialog, installed_models


def keyboard(key, modifiers=Qt.NoModifier) -> None:
    """A key pressed on the keyboard: it goes to the window Qt has the focus in, or nowhere."""
    target = QGuiApplication.focusWindow()
    if target is not None and target.isVisible():
        QTest.keyClick(target, key, modifiers)


def active_after(qtbot, expected) -> None:
    """``expected`` (a window) is active once the closed dialog's close is handled; fails naming
    what is active instead."""
    try:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is expected, timeout=10000)
    except qtbot.TimeoutError:
        now = QApplication.activeWindow()
        pytest.fail(f"{type(now).__name__ if now else 'no window'} is active, not {type(expected).__name__}")


@pytest.fixture
def painted(qtbot, window, tmp_path):
    """The window with a lesion stroke painted: the session."""
    return paint_a_lesion(qtbot, window, tmp_path)[1]


def undo_works_after(qtbot, window, session, close) -> None:
    """Another stroke, then a dialog closed by ``close`` (it opens and activates it): Ctrl+Z on
    the keyboard takes that stroke away."""
    before = session.labels.array.copy()
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 8.0, 0]])
    assert (session.labels.array != before).any()
    close()
    active_after(qtbot, window)
    keyboard(Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: (session.labels.array == before).all(), timeout=10000)


def _open_and_close(qtbot, dialog, closing):
    def close():
        dialog.open()
        activate(qtbot, dialog)   # as the user's click on it does
        closing(dialog)
    return close


def test_ctrl_z_after_the_segment_dialog_and_a_file_dialog(qtbot, window, painted, monkeypatch, tmp_path):
    monkeypatch.setattr(model_choice, "_resolved", {"auto": "cpu", "cpu": "cpu", "cuda": "no",
                                                    "mps": "no"})
    entries, default = installed_models(window)
    segment = SegmentDialog(entries, default, window)
    undo_works_after(qtbot, window, painted, _open_and_close(qtbot, segment, QDialog.reject))
    files = QFileDialog(window, "Open image", str(tmp_path))
    files.setOption(QFileDialog.DontUseNativeDialog)
    undo_works_after(qtbot, window, painted, _open_and_close(qtbot, files, QDialog.reject))
    files.selectFile(str(tmp_path / "case.nii.gz"))   # Open: accepted
    undo_works_after(qtbot, window, painted, _open_and_close(qtbot, files, QDialog.accept))


def test_keys_after_the_remove_question_a_progress_dialog_and_a_static_question(qtbot, window, painted):
    panel = window.edit_actions.panel
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)   # the lesion holds voxels: asked first
    box = panel.remove_question
    assert box.isVisible()
    activate(qtbot, box)
    qtbot.mouseClick(box.button(QMessageBox.No), Qt.LeftButton)
    active_after(qtbot, window)
    keyboard(Qt.Key_P)
    assert window.controller.mode == "paint"
    assert [s.name for s in painted.segments] == ["lesion"]   # No kept it
    progress = QProgressDialog("Working", "Cancel", 0, 3, window)
    undo_works_after(qtbot, window, painted, _open_and_close(qtbot, progress, lambda p: p.setValue(3)))
    undo_works_after(qtbot, window, painted, lambda: _static_question(window))


def _static_question(window) -> None:
    """A question as ``QMessageBox.question`` asks it (a box Qt makes and deletes, modal), clicked
    Yes once the user's click has made it active."""
    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
        elif QApplication.activeWindow() is not box:
            box.activateWindow()
            QTimer.singleShot(20, answer)
        else:
            box.button(QMessageBox.Yes).click()
    QTimer.singleShot(0, answer)
    assert QMessageBox.question(window, "Sure?", "Go on?") == QMessageBox.Yes


def test_a_dialog_opened_from_a_dialog_gives_the_keys_back_in_turn(qtbot, window, painted, tmp_path):
    outer = QFileDialog(window, "Outer", str(tmp_path))
    outer.setOption(QFileDialog.DontUseNativeDialog)

    def close_both():
        outer.open()
        activate(qtbot, outer)
        inner = QMessageBox(QMessageBox.Question, "Inner", "Sure?", QMessageBox.Yes | QMessageBox.No, outer)
        inner.open()
        activate(qtbot, inner)
        qtbot.mouseClick(inner.button(QMessageBox.Yes), Qt.LeftButton)
        active_after(qtbot, outer)
        outer.reject()

    undo_works_after(qtbot, window, painted, close_both)


def test_nothing_is_activated_while_another_dialog_is_open(qtbot, window, tmp_path):
    """A dialog still open beside the window (not opened from the closed one): the user chooses
    where the keys go with a click, as before; the window is not activated over it."""
    beside = QDialog(window)
    beside.setWindowTitle("Beside")
    beside.show()
    activate(qtbot, window)   # back to the window, and a file dialog from it
    files = QFileDialog(window, "Open image", str(tmp_path))
    files.setOption(QFileDialog.DontUseNativeDialog)
    _open_and_close(qtbot, files, QDialog.reject)()
    qtbot.wait(200)
    assert QApplication.activeWindow() is None
    beside.close()
    active_after(qtbot, window)   # the last dialog gone: the window
