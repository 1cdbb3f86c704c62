"""The Readers dialog's tables (:mod:`.readers_dialog`, :mod:`.readers_adjudicate`): rows selected
whole, cells read-only, columns sized to their contents while the table has room, and every column
in view when it has not (:class:`FittedColumns`); a reader named as people read a name (``Ann
Smith``, not DICOM's ``Smith^Ann``), whole on hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..io.dicom.person_name import readable_name


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)   # a narrowed cell is elided (whole on hover), not wrapped
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    table.horizontalHeader().setTextElideMode(Qt.ElideRight)   # a narrowed header: "Chidi Oka…"
    return table


class FittedColumns(QObject):
    """``table``'s columns as wide as their contents (the last one taking what room is left) and,
    where the table is narrower than that, the ``giving`` columns (first ones first) narrowed down
    to a few letters, their text elided and whole on hover, so that every column stays in view:
    the legend's *Specificity* sat past the right edge of the dialog at its default size. Fitted
    again when the table is resized and after :meth:`fit` (its rows or columns changed)."""

    def __init__(self, table: QTableWidget, giving) -> None:
        super().__init__(table)
        self.table, self.giving = table, giving
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        table = self.table
        header = table.horizontalHeader()
        count = table.columnCount()
        if count == 0:
            return
        widths = [max(header.sectionSizeFromContents(c).width(), table.sizeHintForColumn(c))
                  for c in range(count)]
        excess = sum(widths) - table.viewport().width()
        floor = table.fontMetrics().horizontalAdvance("Mmmm…") + 8
        for column in self.giving(count) if callable(self.giving) else self.giving:
            if excess <= 0:
                break
            cut = min(excess, max(widths[column] - floor, 0))
            widths[column] -= cut
            excess -= cut
        if excess < 0:
            widths[-1] -= excess   # the room left goes to the last column
        for column, width in enumerate(widths):
            header.resizeSection(column, width)


def table_item(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def whole_item(text: str) -> QTableWidgetItem:
    """A cell of a column that gives way to a narrow table (:class:`FittedColumns`): whole on hover."""
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def shown_reader(reader: str) -> str:
    """A reader (a SEG's ContentCreatorName, ``Smith^Ann``) as people read the name: ``Ann Smith``."""
    return readable_name(reader) or "(unknown reader)"


def reader_item(reader: str) -> QTableWidgetItem:
    """A table cell naming ``reader`` readably, the whole name on hover (a narrow column)."""
    item = QTableWidgetItem(shown_reader(reader))
    item.setToolTip(shown_reader(reader))
    return item
