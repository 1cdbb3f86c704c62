"""The Lesions list's table pieces: centroid cells that sort by their signed coordinate, number
cells drawn with fixed decimals, and the keys that move the current row jumping to its lesion."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QStyledItemDelegate, QTableWidgetItem

from .qt_guard import guard_overrides

SORT_ROLE = Qt.UserRole + 1
"""A centroid cell's signed RAS coordinate: its column sorts by it, not by its text."""


class CoordinateItem(QTableWidgetItem):
    """A centroid cell: shows "L 29.3", sorts by the signed coordinate (-29.3)."""

    def __lt__(self, other) -> bool:
        return self.data(SORT_ROLE) < other.data(SORT_ROLE)


@guard_overrides
class FixedDecimals(QStyledItemDelegate):
    """A number cell drawn with ``decimals`` places, as a column of figures reads (5.423 above
    2.620, 14.0 mm): the cell keeps the number itself, so the column still sorts numerically."""

    def __init__(self, decimals: int, parent=None) -> None:
        super().__init__(parent)
        self.decimals = decimals

    def displayText(self, value, locale) -> str:
        return f"{float(value):.{self.decimals}f}" if isinstance(value, (int, float)) else str(value)


@guard_overrides
class KeyedRowJump(QObject):
    """Up/Down, PgUp/PgDn, Ctrl+Home/End in the list jump to the lesion they select, as a click does:
    only the click jumped, and Delete then rejected a lesion the views did not show."""

    KEYS = (Qt.Key_Up, Qt.Key_Down, Qt.Key_PageUp, Qt.Key_PageDown, Qt.Key_Home, Qt.Key_End)

    def __init__(self, table, jump) -> None:
        super().__init__(table)
        self.keyed = False   # the table is moving its current row for a key being handled now
        self.jump = jump
        table.installEventFilter(self)
        table.currentCellChanged.connect(self._current_changed)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() in self.KEYS:
            self.keyed = True   # the table handles the key right after this, synchronously
            QTimer.singleShot(0, self, self._done)
        return False

    def _done(self) -> None:
        self.keyed = False

    def _current_changed(self, row: int, _col: int, old_row: int, _old_col: int) -> None:
        if self.keyed and row >= 0 and row != old_row:   # not a refresh nor a programmatic step
            self.jump(row)
