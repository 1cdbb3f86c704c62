"""Opening images with unsaved edits: File > Open, painting, waiting for the load: helpers that
test_open_unsaved.py and the tests building on it share (test modules import helpers from a helper
module, never from another test module)."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox


def paint(qtbot, window, tmp_path):
    """Open case.nii.gz, paint one stroke; also write other.nii.gz. Returns (path, other, painted)."""
    path, _ = write_image(tmp_path)
    other, _ = write_image(tmp_path, name="other", affine_name="lps")
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert session.labels.array.any()
    return path, other, session.labels.array.copy()


def file_open(window, monkeypatch, path):
    """File > Open file(s)..., choosing ``path`` in the file dialog."""
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    next(a for a in window.file_menu.actions() if a.text().replace("&", "").startswith("Open file")).trigger()


def loaded(qtbot, window, path):
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.controller.volume.source_path == str(path), timeout=30000)


def paint_the_worklist_case(qtbot, window, folder, first):
    """Open the worklist ``folder`` (its case ``first`` comes up) and paint one stroke on it."""
    window.training_actions.open_worklist(folder)
    loaded(qtbot, window, first)
    wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])


def answer_question(window, button, asked=None) -> list:
    """Click ``button`` of the window's question box (Save / Discard / Cancel) when it shows,
    recording its text in ``asked``; the list returned set to ``[False]`` stops waiting for it (no
    box left to wait for after the test: the window is gone)."""
    live = [True]

    def click():
        if not live[0]:
            return
        box = next((b for b in window.findChildren(QMessageBox) if b.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, click)
            return
        if asked is not None:
            asked.append(box.text())
        box.button(button).click()
    QTimer.singleShot(0, click)
    return live
