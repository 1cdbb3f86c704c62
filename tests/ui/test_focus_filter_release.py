"""The window's click-focus filter (key_focus.py) sees every event of the application: a closed
window's filter went on seeing them until Qt deleted the window (in the window tests, all the
events of the next test's window being made and shown: 5,000 of the 8,000 the filters took per
test). A window shown again after a close filters again: a widget made in between takes the
focus only when clicked, as the widgets made while it is open do."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QPushButton, QWidget

from neuroview.ui.key_focus import ClickFocusFilter


def test_a_closed_window_stops_filtering_and_filters_again_when_shown(qtbot, window, monkeypatch):
    polished = []   # (filter, widget) for each Polish event a filter took
    real = ClickFocusFilter._demote

    def demote(self, widget):
        polished.append((self, widget))
        real(self, widget)

    monkeypatch.setattr(ClickFocusFilter, "_demote", demote)

    def seen_by_the_window(widget) -> bool:
        return any(f is window.focus_filter and w is widget for f, w in polished)

    def a_new_widget_shown() -> QWidget:
        widget = QWidget()
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    assert seen_by_the_window(a_new_widget_shown())   # the open window's filter sees the events
    window.close()
    assert not window.isVisible()
    assert not seen_by_the_window(a_new_widget_shown())   # the closed window's does not

    made_while_closed = QPushButton("made while closed", window.display_panel)
    assert made_while_closed.focusPolicy() == Qt.StrongFocus
    window.show()
    qtbot.waitExposed(window)
    assert made_while_closed.focusPolicy() == Qt.ClickFocus
    made_while_open = QPushButton("made while open", window.display_panel)
    made_while_open.show()
    qtbot.waitUntil(lambda: made_while_open.focusPolicy() == Qt.ClickFocus, timeout=5000)
    assert seen_by_the_window(made_while_open)


def test_the_windows_own_show_skips_the_filter_and_leaves_no_widget_taking_tab(qtbot, monkeypatch):
    """The window's show, its 1,900 events (each widget's Polish request, layouts, paints), went
    through the filter, each handed to Python (about 6 % of the CPU a window took to be made,
    shown and closed): the widgets there are demoted when the window's show event comes, the
    filter watches from the next turn of the event loop. When show() returns no widget but the
    views takes the focus with Tab (the keys go to a view when the window is activated)."""
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    seen = []
    real = ClickFocusFilter.eventFilter

    def counted(self, obj, event):
        seen.append(event.type())
        return real(self, obj, event)

    monkeypatch.setattr(ClickFocusFilter, "eventFilter", counted)
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.resize(1000, 760)
    window.show()
    assert seen == []
    views = list(window.views.values())
    taking_tab = [w for w in window.findChildren(QWidget)
                  if w.focusPolicy() & Qt.TabFocus and QWidget.window(w) is window
                  and w not in views and not any(v.isAncestorOf(w) for v in views)]
    assert taking_tab == []
    assert window.display_panel.wl_boxes.window_box.focusPolicy() == Qt.ClickFocus
    for text in ("made before the event loop turned", "made after"):   # the scan's, the filter's
        made = QPushButton(text, window.display_panel)
        made.show()
        qtbot.waitUntil(lambda made=made: made.focusPolicy() == Qt.ClickFocus, timeout=5000)
    assert QEvent.Type.Polish in seen


def test_widgets_made_between_the_show_and_the_loops_turn_take_the_focus_only_when_clicked(qtbot):
    """The filter demotes the widgets there at the window's show, and a turn of the event loop
    later those made meanwhile (only those: the show's were checked once): a panel's new box, a
    dock added after the show; a dialog's boxes keep Tab (they are its own window's)."""
    from editor_helpers import close_without_asking
    from PySide6.QtWidgets import QDialog, QDockWidget, QLineEdit, QSpinBox

    from neuroview.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.show()
    in_panel = QSpinBox(window.display_panel)
    in_panel.show()
    dock = QDockWidget("Made after the show", window)
    in_dock = QLineEdit("text", dock)
    dock.setWidget(in_dock)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    dock.show()
    dialog = QDialog(window)
    in_dialog = QLineEdit(dialog)
    dialog.show()
    made = (in_panel, in_dock, in_dialog)
    assert [w.focusPolicy() for w in made] == [Qt.WheelFocus, Qt.StrongFocus, Qt.StrongFocus]
    assert window.focus_filter.watch.isActive()   # the loop has not turned since the show
    qtbot.waitUntil(lambda: not window.focus_filter.watch.isActive(), timeout=5000)
    assert [w.focusPolicy() for w in made] == [Qt.ClickFocus, Qt.ClickFocus, Qt.StrongFocus]
    assert in_panel.property("neuroview_own_focus_policy") == Qt.WheelFocus.value
    dialog.close()
