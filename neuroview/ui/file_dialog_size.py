"""The window's file dialogs open at a readable size, within the screen.

Qt's own file dialog (the one used where the desktop gives no native one, as on a bare X server
or under Xvfb) opened 632x412 on a 1920x1080 screen: its Size column read ``42....KiB`` and its
Type column ``Gzi...ive``, however wide the dialog. Each file dialog made with the main window
as its parent (*Open*, *Load labels*, *Save labels*, *Export*, the worklist's), or with one of
the window's own dialogs and windows as its parent (*Browse...* of *Open follow-up*, *Train
model*, *Rank cases*, *Send to training set*, *Add...* of *Models*, the follow-up window's
exports), now opens :data:`SIZE`, at most the screen's room, its Size, Type and Date columns as
wide as what they hold, the Name column the rest; the user's own resizing of an open dialog is
left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFileDialog, QHeaderView, QTreeView

from .qt_guard import guard_overrides
from .screen_room import resize_within_screen

SIZE = (900, 560)
"""A file dialog's first size (points): the name, size, type and date columns whole."""


@guard_overrides
class FileDialogSize(QObject):
    """Watches ``window`` for the file dialogs made as its children, or as children of the dialogs
    and windows made as its children (at any depth), then each file dialog's first show."""

    def __init__(self, window) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        kind = event.type()
        if kind == QEvent.ChildPolished and (isinstance(event.child(), QFileDialog)
                                             or _a_window(event.child())):
            event.child().installEventFilter(self)   # a dialog: for its own file dialogs
        elif kind == QEvent.Show and isinstance(obj, QFileDialog):
            obj.removeEventFilter(self)   # once: a dialog the user resized stays as resized
            resize_within_screen(obj, *SIZE)   # Qt sized it from its hint as it showed: now
            whole_columns(obj)
        return False


def _a_window(child) -> bool:
    """A dialog or window of its own (not a menu or tooltip; not a file dialog, sized at its show)."""
    return (child.isWidgetType() and child.windowType() in (Qt.Window, Qt.Dialog)
            and not isinstance(child, QFileDialog))


def whole_columns(dialog: QFileDialog) -> None:
    """The detail view's Size, Type and Date columns fit what they hold (the files are listed as
    they load, after the show), the Name column takes the rest."""
    tree = dialog.findChild(QTreeView, "treeView")   # Qt's own dialog; a native one has none
    if tree is None:
        return
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
