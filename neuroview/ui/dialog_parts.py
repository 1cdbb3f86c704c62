"""Parts the dialogs share: a row of widgets, a status line that takes no room while it has
nothing to say (their size: :mod:`.screen_room`), the Close button of a non-modal one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QWidget

from .qt_guard import guard_overrides


def row(*widgets) -> QWidget:
    """``widgets`` side by side, the first one taking the width the others leave."""
    host = QWidget()
    layout = QHBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    for n, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if n == 0 else 0)
    return host


def close_buttons(dialog) -> QDialogButtonBox:
    """A Close button (Qt's, right-aligned) that closes ``dialog`` as Esc does: the Readers,
    Keyboard shortcuts and About dialogs had only the title bar's X to close them. A window that
    is not a dialog (the follow-up window) is closed by it, and by Esc too."""
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    if isinstance(dialog, QDialog):
        buttons.rejected.connect(dialog.reject)
    else:   # a QWidget has no reject, nor Esc: both given here
        buttons.rejected.connect(dialog.close)
        dialog.installEventFilter(EscCloses(dialog))
    return buttons


@guard_overrides
class EscCloses(QObject):
    """Esc closes the window it filters when no widget in it took the key, as a QDialog's Esc
    does: an Esc that a box uses (a typed *Window* value dropped) stays the box's. (A QShortcut
    took Esc before the box saw it and closed the follow-up window instead.)"""

    def __init__(self, window) -> None:
        super().__init__(window)

    def eventFilter(self, watched, event) -> bool:
        if (event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape
                and not event.modifiers()):
            watched.close()
            return True
        return False


def show_focused(dialog, first=None) -> None:
    """Show ``dialog`` raised and active, the keys at ``first`` (its search field, its table, its
    Close button) unless the dialog, opened before, kept a focus of its own. Shown alone, a dialog
    was not made active without a window manager (Xvfb, a kiosk) and had no focused control at
    all: a keyboard user could not start, where Slicer's and ITK-SNAP's start at their first field."""
    if first is not None and dialog.focusWidget() is None:
        first.setFocus(Qt.OtherFocusReason)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


class StatusLine(QLabel):
    """A dialog's status line: shown while it has text, hidden (no empty line above the buttons)
    while it has none. The widget above it that stretches gives it its room, so the dialog keeps
    its size and its buttons their place when a message comes."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.PlainText)   # it says files' names and values: never HTML
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hide()

    def setText(self, text: str) -> None:   # noqa: N802 (Qt's name)
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        self.setText("")


ANSWER_KEYS = {"Save": "&Save", "Discard": "&Discard", "Cancel": "&Cancel", "Apply": "&Apply"}
"""The texts, with their keys, of a question's standard buttons (``QMessageBox.StandardButton``
names): S saves, D discards, C cancels, A applies, as Esc and Enter already did for two of them."""


def question(title: str, text: str, informative: str, buttons, default, parent):
    """A warning question (a ``QMessageBox``) whose text shows as written (a segment's, a model's
    or a file's name holds no markup), its Save / Discard / Cancel / Apply buttons given a key each
    (:func:`answer_keys`), ``default`` the one Enter presses."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, title, text, buttons, parent)
    box.setTextFormat(Qt.PlainText)
    box.setInformativeText(informative)
    box.setDefaultButton(default)
    answer_keys(box)
    return box


def answer_keys(box) -> None:
    """Give ``box``'s (a ``QMessageBox``) Save / Discard / Cancel / Apply buttons a key each: a
    plain letter answers a message box (Alt+letter too). Qt's own texts carry none on Windows or
    without a desktop theme, so Discard took Tab, Tab, Space."""
    from PySide6.QtWidgets import QMessageBox

    for name, text in ANSWER_KEYS.items():
        button = box.button(getattr(QMessageBox, name))
        if button is not None:
            button.setText(text)
