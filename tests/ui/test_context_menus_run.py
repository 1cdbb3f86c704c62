"""Every right-click menu of the main window runs, and every button of the dialogs its menus open,
on an image with a segment painted (tests/ui/test_menu_items_run.py clicks the menu bar's items).

The right-click menus are opened as a user does, a right click over the view or the list (a
``QContextMenuEvent`` for the two lists, as the platform sends one): the three slice views', the
3D view's, the Lesions table's and the Measurements list's. Each of their items is clicked in turn
(the menu opened again for each, as it may change: *This view alone* becomes *Back to the
layout*). Then each menu-bar item is clicked again, and in each dialog it opens every push button
is clicked once (the item clicked again for a button that closed the dialog), a button's own menu
item by item; Qt's file dialogs are rejected, background jobs cancelled. Nothing may reach
``sys.excepthook``, the log or the error bar as an internal error. The follow-up window's table
menu (a window of its own, registered studies) is clicked in tests/ui/test_followup_mark_wrong.py."""

from __future__ import annotations

from menu_clicks import Errors, close_windows, menu_items, painted_worklist_case, run_action
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu, QPushButton

from tests.jobs_stopped import stop_jobs

SKIPPED = {("File", "Quit"): "ends the application (tests/ui/test_quit.py)",
           ("File", "Close"): "closes the image the others need (its question: test_menu_items_run)"}
"""Menu-bar items whose dialogs are not clicked, and why."""


def right_click(qtbot, widget) -> list:
    """Right-click the middle of ``widget`` (a list's viewport gets a context menu event) and
    return the menu that opened, closed again: its (path, action) items."""
    found = []

    def take() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            found.extend(menu_items(menu))
            menu.close()
    QTimer.singleShot(0, take)   # a list's menu shows with exec(): taken from inside it
    centre = QPoint(widget.width() // 2, widget.height() // 2)
    if hasattr(widget, "menu_asked"):
        QTest.mouseClick(widget, Qt.RightButton, Qt.NoModifier, centre)
    else:
        QApplication.sendEvent(widget.viewport(), QContextMenuEvent(
            QContextMenuEvent.Mouse, centre, widget.viewport().mapToGlobal(centre)))
    qtbot.waitUntil(lambda: bool(found), timeout=3000)
    return found


def click_context_menus(qtbot, window, errors) -> dict:
    """Each item of each right-click menu, clicked in turn: {(widget, *path): error bar text}."""
    widgets = {plane: view for plane, view in window.slice_views.items()}
    widgets.update({"3d": window.view3d, "Lesions": window.lesions.table,
                    "Measurements": window.measurements})
    clicked = {}
    for name, widget in widgets.items():
        for index in range(len(right_click(qtbot, widget))):
            path, action = right_click(qtbot, widget)[index]
            if action.isEnabled():
                window.message_bar.hide()
                run_action(qtbot, window, action)
                clicked[(name,) + path] = errors.check(window, (name,) + path)
    return clicked


class ButtonClicker:
    """Clicks the next push button not yet clicked of the dialog shown (each title's button once,
    a button with a menu item by item), else rejects it; Qt's file dialogs rejected at once."""

    def __init__(self) -> None:
        self.seen: dict[str, set] = {}
        self.clicked: dict[str, set] = {}
        self.running = False

    def buttons(self, dialog) -> dict:
        """{text: click} of ``dialog``'s push buttons shown and enabled (a button's menu items
        too, as "Add... > Model folder...": their trigger)."""
        found = {}
        for button in dialog.findChildren(QPushButton):
            if not (button.isVisible() and button.isEnabled() and button.text()):
                continue
            text = button.text().replace("&", "")
            if button.menu() is None:
                found[text] = button.click
            for path, action in menu_items(button.menu()) if button.menu() else ():
                found[" > ".join((text,) + path)] = action.trigger
        return found

    def left(self, title: str) -> set:
        return self.seen.get(title, set()) - self.clicked.get(title, set())

    def step(self, dialog) -> bool:
        """Click ``dialog``'s next button; True if one was clicked, else the dialog is closed."""
        title = dialog.windowTitle()
        if isinstance(dialog, QFileDialog):
            dialog.reject()
            return False
        buttons = self.buttons(dialog)
        self.seen.setdefault(title, set()).update(buttons)
        todo = sorted(set(buttons) - self.clicked.setdefault(title, set()))
        if not todo:
            dialog.reject() if isinstance(dialog, QDialog) else dialog.close()
            return False
        self.clicked[title].add(todo[0])
        buttons[todo[0]]()
        return True

    def start(self) -> None:
        self.running = True
        self.tick()

    def tick(self) -> None:
        """Every 10 ms: a timer of its own each time, as a timer does not fire while its own
        slot runs (a button's click waiting in the dialog it opened)."""
        if not self.running:
            return
        QTimer.singleShot(10, self.tick)
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            self.step(dialog)


def shown_dialogs(window) -> list:
    return [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()
            and isinstance(w, QDialog) and not w.isModal()]


def click_dialog_buttons(qtbot, window, errors, clicker) -> None:
    """Each menu-bar item (but :data:`SKIPPED`) clicked, and each button of each dialog it opens
    (``clicker`` clicking a modal one's from its timer)."""
    for path, action in menu_items(window.menuBar()):
        if path in SKIPPED or not action.isEnabled():
            continue
        titles: set = set()
        for _ in range(8):   # once more for each button that closed its dialog
            before = {title: len(done) for title, done in clicker.clicked.items()}
            action.trigger()
            qtbot.wait(1)
            for dialog in shown_dialogs(window):   # not modal: Models, DICOM servers, About
                while clicker.step(dialog):
                    qtbot.wait(1)
            stop_jobs(window.runner)
            close_windows(window)
            errors.check(window, path + ("(buttons)",))
            titles |= {title for title, done in clicker.clicked.items()
                       if len(done) != before.get(title, 0)}
            if not any(clicker.left(title) for title in titles) or not action.isEnabled():
                break


def test_every_right_click_menu_item_and_dialog_button_runs(qtbot, window, tmp_path, monkeypatch,
                                                            caplog):
    session, segment, painted = painted_worklist_case(qtbot, window, tmp_path)
    errors = Errors(monkeypatch, caplog)
    clicker = ButtonClicker()
    clicker.start()
    try:
        clicked = click_context_menus(qtbot, window, errors)
        assert ((session.labels.array == segment.value) == painted).all()   # nothing undone
        click_dialog_buttons(qtbot, window, errors, clicker)
    finally:   # no clicks left for the next test's window
        clicker.running = False
    assert len(clicked) > 60
    assert {("axial", "This view alone (double-click)"), ("coronal", "Window preset", "Brain 80/40"),
            ("sagittal", "Export view as PNG..."), ("3d", "Look from", "Left"),
            ("3d", "Segment surfaces"), ("Lesions", "Copy table"), ("Measurements", "Copy")} <= set(clicked)

    assert {"Models", "DICOM servers", "Train a model", "Segment with a model", "Skip case",
            "Open follow-up", "Choose a series on a PACS"} <= set(clicker.clicked)
    assert {"Test connection", "Save", "Remove", "Close"} <= clicker.clicked["DICOM servers"]
    assert "Add... > Model folder..." in clicker.clicked["Models"]
    assert not {title: clicker.left(title) for title in clicker.seen if clicker.left(title)}
