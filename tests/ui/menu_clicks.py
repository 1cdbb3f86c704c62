"""Clicking every menu item, right-click menu item and dialog button of a window, asserting after
each that nothing reached ``sys.excepthook``, the log or the error bar as an internal error: a
helper module of tests/ui/test_menu_items_run.py and tests/ui/test_context_menus_run.py."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from tests.jobs_stopped import stop_jobs


def menu_items(menu, path=()):
    """(path, action) of each item of ``menu`` and its sub-menus, a sub-menu filled as it is about
    to show."""
    if isinstance(menu, QMenu):
        menu.aboutToShow.emit()
    for action in menu.actions():
        text = action.text().replace("&", "")
        if action.isSeparator() or not text:
            continue
        if action.menu() is not None:
            yield from menu_items(action.menu(), path + (text,))
        else:
            yield path + (text,), action


def close_windows(window) -> list[str]:
    """Reject (or close) every window shown besides ``window``: their titles."""
    closed = []
    for widget in QApplication.topLevelWidgets():
        if (widget is window or not widget.isVisible() or isinstance(widget, QMenu)
                or widget.windowType() == Qt.ToolTip):
            continue
        closed.append(widget.windowTitle())
        widget.reject() if isinstance(widget, QDialog) else widget.close()
    return closed


def reject_modal(rejected: list) -> None:
    """Reject the modal dialog open (a file dialog, a question), if any, noting its title."""
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        rejected.append(dialog.windowTitle())
        dialog.reject()


class Errors:
    """What reached ``sys.excepthook`` or the log (error level) since the test began."""

    def __init__(self, monkeypatch, caplog) -> None:
        self.hooked: list[str] = []
        monkeypatch.setattr(sys, "excepthook",
                            lambda kind, error, _tb: self.hooked.append(f"{kind.__name__}: {error}"))
        caplog.set_level(logging.ERROR)
        self.caplog = caplog

    def check(self, window, path) -> str:
        """Fail naming ``path`` if an error came, or the error bar says an internal error; else
        what the error bar says ("" for nothing)."""
        errors = self.hooked + [record.getMessage() for record in self.caplog.records]
        assert not errors, f"{' > '.join(path)}: {errors}"
        said = window.message_bar.text
        assert "internal error" not in said.lower(), (path, said)
        return said


def run_action(qtbot, window, action) -> list[str]:
    """Trigger ``action`` as a click does (a checkable one twice: on, then off), cancel the jobs
    it started and close the windows it showed: their titles."""
    shown = []
    for _ in range(2 if action.isCheckable() else 1):
        action.trigger()
        qtbot.wait(1)
        stop_jobs(window.runner)
        shown += close_windows(window)
    return shown


def painted_worklist_case(qtbot, window, tmp_path):
    """A worklist's first case open (its *Worklist* items enabled) with a segment painted on it:
    (session, segment, the painted voxels), which the menu tests check are kept."""
    from editor_helpers import INSIDE_CASE_RAS, PAINTED_LINE, stroke
    from worklist_cases import open_worklist, worklist_folder

    open_worklist(qtbot, window, worklist_folder(tmp_path))
    session = window.editor.session
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    segment = session.segments.add("edema")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    stroke(window, "axial", PAINTED_LINE)
    painted = (session.labels.array == segment.value).copy()
    assert painted.sum() > 20
    return session, segment, painted
