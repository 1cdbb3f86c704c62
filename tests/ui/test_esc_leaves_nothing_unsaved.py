"""A stroke or an AI click object thrown away with Esc leaves nothing to save: quitting asks no
question and the next start offers nothing to restore. Until session 38 the segment the stroke's
press made ("Segment 1", no voxel in it) stayed as a step: quitting asked Save / Discard and the
next start offered to restore "1 edit". A real stroke still asks, and is offered back."""

from __future__ import annotations

import re

from ai_click_cases import CENTRE, _click, _setup
from editor_helpers import INSIDE_CASE_RAS, answer_when_shown, open_image, pixel_of, stroke, write_image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from quit_windows import new_window  # noqa: F401  (a fixture)

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _quit_asks(qtbot, window) -> list:
    """File > Quit; what the question asked (Cancel clicked: the window stays), [] when it quit."""
    asked = []
    answer_when_shown(lambda: window.edit_actions.quit_box, QMessageBox.Cancel, asked)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Quit").trigger()
    qtbot.waitUntil(lambda: not window.isVisible() or bool(asked), timeout=10000)
    return asked


def _offered(qtbot, again, path) -> str:
    """The next start opening ``path``: the restore question, "" when none."""
    open_image(qtbot, again, path)
    qtbot.waitUntil(lambda: again.editor.session is not None or "Restore" in again.notice_bar.buttons,
                    timeout=10000)
    bar = again.notice_bar
    return bar.text if "Restore" in bar.buttons and bar.isVisible() else ""


def _escaped_stroke(window) -> None:
    """A press and a drag on the axial view, Esc, then the release."""
    view = window.slice_views["axial"]
    x, y = (float(v) for v in pixel_of(window, "axial", INSIDE_CASE_RAS))

    def send(kind, at, button, buttons):
        pos = QPointF(*at)
        QApplication.sendEvent(view, QMouseEvent(kind, pos, view.mapToGlobal(pos), button, buttons,
                                                 Qt.NoModifier))

    send(QEvent.MouseButtonPress, (x, y), Qt.LeftButton, Qt.LeftButton)
    send(QEvent.MouseMove, (x + 10, y), Qt.NoButton, Qt.LeftButton)
    QTest.keyClick(view, Qt.Key_Escape)                        # the stroke thrown away
    send(QEvent.MouseButtonRelease, (x + 10, y), Qt.LeftButton, Qt.NoButton)


def _painting(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=10000)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    return path, window.editor.session


def test_an_escaped_stroke_asks_nothing_and_offers_nothing(qtbot, window, tmp_path, new_window):  # noqa: F811
    path, session = _painting(qtbot, window, tmp_path)
    for _ in range(2):
        _escaped_stroke(window)
        assert list(session.labels.segments) == [] and not session.labels.array.any()
    assert not window.editor.case.modified and not session.history.can_undo and not session.history.can_redo
    assert _quit_asks(qtbot, window) == [] and not window.isVisible()
    assert _offered(qtbot, new_window(), path) == ""


def test_a_real_stroke_after_an_escaped_one_is_asked_about_and_offered(
        qtbot, window, tmp_path, new_window):  # noqa: F811
    path, session = _painting(qtbot, window, tmp_path)
    _escaped_stroke(window)
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])   # a voxel changed
    assert [s.name for s in session.labels.segments] == ["Segment 1"] and session.labels.array.any()
    asked = _quit_asks(qtbot, window)
    assert asked and "not saved" in asked[0] and window.isVisible()
    window.edit_actions.close_case()              # not quit: the edits stay (as after a crash)
    offer = _offered(qtbot, new_window(), path)
    assert re.search(r"\((\d+) edits?, never saved\)", offer).group(1) == "2", offer


def test_an_ai_click_object_discarded_with_esc_asks_nothing(qtbot, window, tmp_path):
    session, _first, _second = _setup(qtbot, window, tmp_path)
    _click(qtbot, window, "axial", CENTRE)
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running, timeout=30000)
    assert [s.name for s in session.labels.segments] == ["Segment 1"]   # the object's, until Esc
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    assert list(session.labels.segments) == [] and not window.editor.case.modified
    _click(qtbot, window, "axial", CENTRE)   # a new object: accepted (Enter), it is an edit
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running, timeout=30000)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    qtbot.waitUntil(lambda: session.labels.array.any(), timeout=10000)
    assert window.editor.case.modified and [s.name for s in session.labels.segments] == ["Segment 1"]
    assert _quit_asks(qtbot, window)
