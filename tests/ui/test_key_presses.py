"""A key pressed while no widget has the keys fails its test, naming the widget that should have
had them. The window tests handed ``QApplication.focusWidget()`` straight to QTest's keyClick;
with no widget focused (a real X server with no window manager, a window not yet active) that is
None, and QTest aborts the process (SIGABRT): every test after it was lost with no message."""

from __future__ import annotations

import pytest
from key_presses import press, type_key
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget


def test_a_key_to_a_window_with_no_widget_taking_keys_fails_the_test_by_name(qtbot):
    blank = QWidget()                      # nothing in it takes the keys
    blank.setObjectName("blank")
    qtbot.addWidget(blank)
    blank.show()
    qtbot.waitExposed(blank)
    with pytest.raises(pytest.fail.Exception) as failed:
        press(qtbot, blank, Qt.Key_A, timeout=300)
    assert "QWidget 'blank' should have the keys, no widget has them" in str(failed.value)


def test_a_key_goes_to_the_focus_widget_inside_the_widget_named(qtbot):
    window = QWidget()
    window.setLayout(QVBoxLayout())
    edit = QLineEdit()
    window.layout().addWidget(edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    edit.setFocus()
    press(qtbot, window, Qt.Key_A)         # the window's own key: to its box that has the keys
    assert edit.text() == "a"


def test_a_key_typed_into_a_window_never_shown_fails_the_test_by_name(qtbot):
    """``type_key`` types into the window's handle, which is None until it is shown: QTest
    aborted the whole pytest process there (``ASSERT: "window"``), now the test fails."""
    hidden = QWidget()
    hidden.setObjectName("hidden")
    qtbot.addWidget(hidden)
    edit = QLineEdit(hidden)
    with pytest.raises(pytest.fail.Exception) as failed:
        type_key(edit, Qt.Key_A)
    assert "QWidget 'hidden' has no window handle (never shown)" in str(failed.value)
