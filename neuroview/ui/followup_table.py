"""The follow-up window's lesion table (``followup_window``): cells that sort by number, compact
rows, and the room it needs to show a number of lesions, which the window's splitter gives it
when it opens (the table had about 4 rows of a 700-point window, a case of 10 lesions scrolled)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from ..app.followup_lesions import LOCATION_COLUMN, MARKED_WRONG, READER_COLUMN, column_title
from .plain_text import plain_tooltip
from .sort_arrow import point_sort_arrows

ROWS_SHOWN = 10
"""Lesions the table shows without scrolling when the window opens, where the screen has room."""


def is_text_column(name: str) -> bool:
    return name in ("event", LOCATION_COLUMN, READER_COLUMN) or name.startswith("status")


def signed(text: str) -> float:
    """A cell's number; a side and distance as its signed RAS mm (``L 21.1``: -21.1), so a
    position column sorts from one side to the other."""
    side, _, distance = text.rpartition(" ")
    return -float(distance) if side in ("L", "P", "I") else float(distance)


class SortableItem(QTableWidgetItem):
    """A table cell that sorts by a key: numbers as numbers (an empty number sorts last)."""

    def __init__(self, text: str, numeric: bool) -> None:
        super().__init__(text)
        if numeric:
            self.key = (0, signed(text)) if text else (1, 0.0)
        else:
            self.key = (0, text)

    def __lt__(self, other) -> bool:
        return self.key < getattr(other, "key", (0, other.text()))


def lesion_table(columns: int) -> QTableWidget:
    """Read-only rows, selected whole, no row numbers, sorted by a click on a header (▲
    ascending), rows as tall as a line of text and its margins (the style's 30-pixel rows showed
    3 lesions and a half)."""
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectRows)
    table.setTabKeyNavigation(False)   # Tab on to the next box; the arrows move in it
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    # one id per row, the id column's (as the app's other tables): Qt's row numbers beside it
    # read 1, 2, 3... whatever the sort, unlike the ids once sorted by another column
    table.verticalHeader().hide()
    # Qt sorts as soon as sorting is on, by its default indicator (id, descending): by id, up
    table.horizontalHeader().setSortIndicator(0, Qt.AscendingOrder)
    point_sort_arrows(table.horizontalHeader())                 # ▲ ascending, not Fusion's ▼
    return table


def height_for_rows(table: QTableWidget, rows: int = ROWS_SHOWN) -> int:
    """The table's height that shows its header, ``rows`` rows and the horizontal scroll bar."""
    return (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
            + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth())


def column_name(table: QTableWidget, column: int) -> str:
    """The CSV's name of the table's ``column`` (its header shows :func:`column_title`), ``"id"``
    where there is none."""
    item = table.horizontalHeaderItem(column)
    return item.data(Qt.UserRole) if item and item.data(Qt.UserRole) else "id"


def fill_lesion_table(table: QTableWidget, columns: list[str], rows: list[list[str]]) -> None:
    """Show ``rows`` under ``columns`` (the CSV's names, headed by :func:`column_title`); the sort
    stays on its column by name, else goes to id (the two tables' columns differ: R/L of the
    pair's table is change_pct's place in the table across time points, which it used to sort
    by). No signals while the rows are replaced (no jumps)."""
    header = table.horizontalHeader()
    sorted_name, order = column_name(table, header.sortIndicatorSection()), header.sortIndicatorOrder()
    blocker = QSignalBlocker(table)
    table.setSortingEnabled(False)
    table.setRowCount(0)
    table.setColumnCount(len(columns))
    for column, name in enumerate(columns):   # words a radiologist reads (the CSV's names were)
        item = QTableWidgetItem(column_title(name))
        item.setData(Qt.UserRole, name)
        if name != item.text():
            item.setToolTip(plain_tooltip(f"{name} in the exported CSV"))
        table.setHorizontalHeaderItem(column, item)
    struck = columns[-1:] == [READER_COLUMN]   # rows the reader marked wrong: struck through
    for cells in rows:
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(cells):
            item = SortableItem(text, not is_text_column(columns[column]))
            if struck and cells[-1] == MARKED_WRONG:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
                item.setForeground(QColor("#808080"))
            table.setItem(row, column, item)
    if sorted_name not in columns:
        sorted_name, order = "id", Qt.AscendingOrder
    header.setSortIndicator(columns.index(sorted_name), order)
    table.setSortingEnabled(True)
    table.resizeColumnsToContents()
    blocker.unblock()
