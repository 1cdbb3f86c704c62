"""Help menu: *Keyboard shortcuts* (a non-modal list made from the window's actual actions, plus
the keys the slice views handle themselves) and *About* (versions and the compute device).

Versions are read without importing heavy packages on the GUI thread: torch's from its installed
metadata; the device from the background job of :mod:`neuroview.ui.model_choice`.
"""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from .dialog_parts import close_buttons
from .editor_segments import SEGMENT_LIST_KEYS
from .lesions_panel import LIST_KEYS
from .mnemonics import LETTER_KEYS
from .model_choice import CHECKING, when_devices_known
from .plain_text import plain_label
from .screen_room import resize_within_screen
from .view_keys import VIEW_KEYS
from .worklist_panel import PANEL_KEYS


def on_a_keyboard(sequence: QKeySequence) -> bool:
    """A sequence a desktop keyboard types: not one of the dedicated keys of multimedia keyboards
    (``Qt.Key_Back`` and after: Open, Save, Close, Exit...), which Qt's standard sequences add on
    Linux and which the list showed as the words "Open", "Save", "Close" beside Ctrl+O."""
    return sequence.count() > 0 and sequence[0].key().value < Qt.Key.Key_Back.value


def shortcut_rows(menu_bar) -> list[tuple[str, str, str]]:
    """``(menu path, command, keys)`` of every menu action that has a keyboard shortcut, in menu
    order, then the keys and mouse gestures of the slice views."""
    rows, seen = [], set()

    def walk(menu, path):
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), path + [action.text().replace("&", "")])
            elif action.shortcuts() and action.text() and action not in seen:  # once (Navigate)
                seen.add(action)
                keys = ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts()
                                 if on_a_keyboard(s))
                rows.append((" > ".join(path), action.text().replace("&", ""), keys))

    for action in menu_bar.actions():
        if action.menu() is not None:
            walk(action.menu(), [action.text().replace("&", "")])
    rows += [("Menus, notices", what, keys) for keys, what in LETTER_KEYS]
    rows += [("Slice views", what, keys) for keys, what in VIEW_KEYS]
    rows += [("Lesions list", what, keys) for keys, what in LIST_KEYS]
    rows += [("Segment editor list", what, keys) for keys, what in SEGMENT_LIST_KEYS]
    rows += [("Worklist panel", what, keys) for keys, what in PANEL_KEYS]
    return rows


COMMAND_CHARACTERS = 80
"""The *Command* column is at most this many characters wide (of ``x``); a longer command wraps."""


class ShortcutsDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setModal(False)
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window.menuBar())
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(("Where", "Command", "Keys"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        # wide enough for every command and key whole (the AI click's Enter / Esc / drag rows
        # were elided to "Accept the preview (AI click, grow, fill ..." in a 620-pixel dialog)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        # ... but a command longer than a line of text wraps: the one 231-character row (Esc's)
        # made the dialog 1789 pixels wide on a 1920 screen, each key 1200 pixels from its command
        line = self.table.fontMetrics().horizontalAdvance("x" * COMMAND_CHARACTERS)
        if header.sectionSize(1) > line:
            header.resizeSection(1, line)
        self.table.resizeRowsToContents()
        needed = (sum(header.sectionSize(c) for c in range(3)) + 2 * self.table.frameWidth()
                  + self.table.verticalScrollBar().sizeHint().width())
        margins = layout.contentsMargins()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        layout.addWidget(self.table)
        layout.addWidget(close_buttons(self))
        # within the screen: on a narrow one (a portrait 2048x2560 monitor at 200 %: 1024 points;
        # a 1366x768 laptop at 125 %: 1093) the dialog was 1145 points wide, its Keys column past
        # the screen's edge; there the commands wrap onto more lines instead
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        resize_within_screen(self, max(620, needed + margins.left() + margins.right()), 520)


def versions() -> list[tuple[str, str]]:
    import PySide6
    from vtkmodules.vtkCommonCore import vtkVersion

    from .. import __version__

    try:
        torch = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch = "not installed (AI features off)"
    return [("neuroview", __version__), ("Python", platform.python_version()),
            ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
            ("VTK", vtkVersion.GetVTKVersion()), ("torch", torch)]


class AboutDialog(QDialog):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("About neuroview")
        self.setModal(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>neuroview</b>: view MRI/CT, segment lesions, correct the masks,"
                                "<br>turn corrections into training data."))
        self.lines = dict(versions())
        self.label = plain_label()   # paths and versions as written
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.label)
        buttons = close_buttons(self)
        self.close_button = buttons.button(QDialogButtonBox.Close)
        layout.addWidget(buttons)
        self.lines["Compute device"] = CHECKING
        self._show()
        when_devices_known(window.runner, self._device_known)

    def _device_known(self, resolved) -> None:
        self.lines["Compute device"] = resolved.get("auto", "unknown")
        try:
            self._show()
        except RuntimeError:  # closed before the answer came
            pass

    def _show(self) -> None:
        self.label.setText("\n".join(f"{name}: {value}" for name, value in self.lines.items()))

    @property
    def text(self) -> str:
        return self.label.text()
