"""The window's click-focus habit (key_focus.py) with no application event filter: until session 52
a filter of the whole application took each widget's Polish and Hide, and every other event with
them (about 5,000 a window test, each handed to Python). Now the window's widgets are demoted where
Qt reads their focus policy (the show, a move along the Tab chain, the activation, a wheel turn),
and a dialog's close is heard from its own window (focus_return.py). What a user sees is as
before: widgets made after the show never take the keys by Tab, a hidden focus widget hands them
to a view, a wheel over a new box leaves the focus where it was, a dialog's boxes keep Tab."""

from __future__ import annotations

from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QLineEdit, QPushButton, QSpinBox, QWidget

from neuroview.ui.focus_return import FocusReturn
from neuroview.ui.key_focus import ClickFocusFilter


def test_no_event_of_another_window_reaches_the_windows_filters(qtbot, monkeypatch):
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    seen = []   # (object, event type) for each event the window's two filters took

    def counting(cls):
        real = cls.eventFilter

        def counted(self, obj, event):
            seen.append((obj, event.type()))
            return real(self, obj, event)
        monkeypatch.setattr(cls, "eventFilter", counted)

    counting(ClickFocusFilter)   # before the window is made: shiboken looks its overrides up once
    counting(FocusReturn)
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(1)   # a turn of the event loop after the show (the old filter watched from there)
    other = QWidget()
    qtbot.addWidget(other)
    button = QPushButton("a button", other)
    other.show()
    qtbot.waitExposed(other)
    button.setFocus()
    other.resize(300, 200)
    assert [kind for obj, kind in seen if obj in (other, button)] == []
    # what the window's own widgets do passes by too: a panel's box shown and hidden
    box = QSpinBox(window.display_panel)
    box.show()
    box.hide()
    assert [kind for obj, kind in seen if obj is box] == []


def test_widgets_made_after_the_show_take_the_focus_only_when_clicked(qtbot, window):
    axial = window.slice_views["axial"]
    in_panel = QSpinBox(window.display_panel)   # made before the event loop turned
    in_panel.show()
    dock = QDockWidget("Made after the show", window)
    in_dock = QLineEdit("text", dock)
    dock.setWidget(in_dock)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.show()
    dialog = QDialog(window)
    in_dialog = QLineEdit(dialog)
    qtbot.wait(1)
    later = QPushButton("made after the turn", window.display_panel)
    later.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    assert QApplication.focusWidget() is axial
    views = set(window.views.values())   # the slice views and the 3D view
    for _ in range(8):   # Tab walks the views only, never a box made after the show
        type_key(window, Qt.Key_Tab)
        assert QApplication.focusWidget() in views, repr(QApplication.focusWidget())
    made = (in_panel, in_dock, later)
    assert [w.focusPolicy() for w in made] == [Qt.ClickFocus] * 3
    assert in_panel.property("neuroview_own_focus_policy") == Qt.WheelFocus.value
    qtbot.mouseClick(later, Qt.LeftButton)   # a click gives the focus as before
    assert later.hasFocus()
    later.hide()   # the focused button hidden: Qt hands the keys to the next in the chain, a view
    assert QApplication.focusWidget() in views, repr(QApplication.focusWidget())
    dialog.show()   # a dialog's boxes are its own window's: they keep Tab
    qtbot.waitExposed(dialog)
    assert in_dialog.focusPolicy() == Qt.StrongFocus
    dialog.close()


def test_a_wheel_over_a_box_made_after_the_show_leaves_the_keys_with_the_view(qtbot, window):
    axial = window.slice_views["axial"]
    qtbot.wait(1)
    box = QSpinBox(window.display_panel)
    box.setFocusPolicy(Qt.WheelFocus)
    box.show()
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    assert QApplication.focusWidget() is axial
    at = box.mapTo(window, box.rect().center())
    handle = window.windowHandle()
    wheel = QWheelEvent(at.toPointF(), window.mapToGlobal(at).toPointF(), QPoint(), QPoint(0, 120),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(handle, wheel)
    assert box.focusPolicy() == Qt.ClickFocus
    assert QApplication.focusWidget() is axial


def test_a_window_closed_and_shown_again_demotes_what_was_made_meanwhile(qtbot, window):
    window.close()
    assert not window.isVisible()
    made_while_closed = QPushButton("made while closed", window.display_panel)
    assert made_while_closed.focusPolicy() == Qt.StrongFocus
    window.show()
    qtbot.waitExposed(window)
    assert made_while_closed.focusPolicy() == Qt.ClickFocus


def test_the_windows_show_leaves_no_widget_taking_tab(qtbot):
    """When show() returns no widget but the views takes the focus with Tab (the keys go to a
    view when the window is activated)."""
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.resize(1000, 760)
    window.show()
    views = list(window.views.values())
    taking_tab = [w for w in window.findChildren(QWidget)
                  if w.focusPolicy() & Qt.TabFocus and QWidget.window(w) is window
                  and w not in views and not any(v.isAncestorOf(w) for v in views)]
    assert taking_tab == []
    assert window.display_panel.wl_boxes.window_box.focusPolicy() == Qt.ClickFocus
