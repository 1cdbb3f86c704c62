"""*Copy* (Ctrl+C, and the right-click menu) for the Lesions table and the Measurements list: their
numbers as tab-separated text, pasted as a table into a report, a spreadsheet or an e-mail. They
could only be read off the screen and typed again (Slicer's tables and ITK-SNAP's label
statistics copy theirs)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QListWidget, QTableWidget, QWidget

from .qt_guard import guard_overrides


def table_text(table: QTableWidget) -> str:
    """The whole table as shown (its header, then its rows in their current order, each cell as
    drawn: ``5.423``, ``L 21.0``; no hidden column), one line a row, cells separated by tabs."""
    shown = [col for col in range(table.columnCount()) if not table.isColumnHidden(col)]
    delegates = [(col, table.itemDelegateForColumn(col)) for col in shown]
    header = [table.horizontalHeaderItem(col).text() for col in shown]
    lines = ["\t".join(header)]
    for row in range(table.rowCount()):
        cells = []
        for col, delegate in delegates:
            item = table.item(row, col)
            value = item.data(Qt.DisplayRole) if item is not None else ""
            cells.append(delegate.displayText(value, table.locale()) if delegate is not None
                         else str(value))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def list_text(lines: QListWidget) -> str:
    """The selected lines of ``lines`` (all of them when none is selected), oldest first."""
    chosen = lines.selectedItems() or [lines.item(row) for row in range(lines.count())]
    chosen.sort(key=lines.row)
    return "".join(item.text() + "\n" for item in chosen)


@guard_overrides
class _CopyKey(QObject):
    """Ctrl+C reaching the widget itself (its window not the active one, so the action's shortcut
    did not take it) copies as the action does: a list view's own Ctrl+C copied one cell."""

    def __init__(self, widget: QWidget, action: QAction) -> None:
        super().__init__(widget)
        self.action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.KeyPress and event.matches(QKeySequence.Copy):
            self.action.trigger()
            return True
        return False


def install_copy(widget: QWidget, text: Callable[[], str], label: str = "Copy") -> QAction:
    """A *Copy* action on ``widget``: Ctrl+C while it has the keys, and its right-click menu;
    it puts ``text()`` on the clipboard (nothing when there is nothing to copy)."""
    action = QAction(label, widget)
    action.setShortcut(QKeySequence.Copy)
    action.setShortcutContext(Qt.WidgetWithChildrenShortcut)

    def copy() -> None:
        copied = text()
        if copied.strip():
            QApplication.clipboard().setText(copied)
    action.triggered.connect(copy)
    widget.addAction(action)
    widget.setContextMenuPolicy(Qt.ActionsContextMenu)
    widget.copy_key = _CopyKey(widget, action)
    return action
