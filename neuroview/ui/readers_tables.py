"""The Readers dialog's tables (:mod:`.readers_dialog`, :mod:`.readers_adjudicate`): rows selected
whole, cells read-only, columns sized to their contents while the table has room, and every column
in view when it has not (:class:`FittedColumns`); a reader named as people read a name (``Ann
Smith``, not DICOM's ``Smith^Ann``), whole on hover."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..io.dicom.person_name import readable_name
from .plain_text import plain_tooltip
from .qt_guard import guard_overrides


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setTabKeyNavigation(False)   # Tab on to the buttons; the arrows move in it
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)   # a narrowed cell is elided (whole on hover), not wrapped
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    table.horizontalHeader().setTextElideMode(Qt.ElideRight)   # a narrowed header: "Chidi Oka…"
    return table


@guard_overrides
class FittedColumns(QObject):
    """``table``'s columns as wide as their contents (the last one taking what room is left) and,
    where the table is narrower than that, the ``giving`` columns (first ones first; a tuple of
    columns gives way together, its widest first) narrowed down to a few letters, their text elided
    and whole on hover, so that every column stays in view: the legend's *Specificity* sat past the
    right edge of the dialog at its default size. A column the user dragged to a width keeps it (as
    Qt's header keeps an Interactive section's), the others fitted around it. Fitted again when the
    table is resized and after :meth:`fit` (its rows or columns changed)."""

    def __init__(self, table: QTableWidget, giving) -> None:
        super().__init__(table)
        self.table, self.giving = table, giving
        self.user_widths: dict[str, int] = {}   # by header text: a drag, or a double-click on its edge
        self._fitting = False
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._resized)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize:
            self.fit()
        return False

    def _label(self, column: int) -> str:
        item = self.table.horizontalHeaderItem(column)
        return item.text() if item is not None else str(column)

    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting:   # the user's: fit() sets every column while _fitting
            self.user_widths[self._label(column)] = new

    def fit(self) -> None:
        table = self.table
        header = table.horizontalHeader()
        count = table.columnCount()
        if count == 0:
            return
        labels = [self._label(c) for c in range(count)]
        fixed = {c: self.user_widths[label] for c, label in enumerate(labels) if label in self.user_widths}
        widths = [fixed.get(c, max(header.sectionSizeFromContents(c).width(), table.sizeHintForColumn(c)))
                  for c in range(count)]
        excess = sum(widths) - table.viewport().width()
        floor = table.fontMetrics().horizontalAdvance("Mmmm…") + 8
        for tier in self.giving(count) if callable(self.giving) else self.giving:
            columns = [c for c in (tier if isinstance(tier, (tuple, list)) else (tier,)) if c not in fixed]
            excess = _narrow_widest_first(widths, columns, excess, floor)
        if excess < 0 and count - 1 not in fixed:
            widths[-1] -= excess   # the room left goes to the last column
        self._fitting = True
        try:
            for column, width in enumerate(widths):
                header.resizeSection(column, width)
        finally:
            self._fitting = False


def _narrow_widest_first(widths: list[int], columns: list[int], excess: int, floor: int) -> int:
    """Narrow ``columns`` of ``widths`` by up to ``excess`` pixels, none below ``floor``: the widest
    first, down to the next widest, then both..., so the narrow ones stay whole. The excess left."""
    wide = sorted((widths[c] for c in columns if widths[c] > floor), reverse=True)
    if excess <= 0 or not wide:
        return excess
    cap, cut = floor, 0
    for number, width in enumerate(wide, start=1):
        below = wide[number] if number < len(wide) else floor
        if cut + number * (width - below) >= excess:   # a cap between this width and the next
            cap = width - -(-(excess - cut) // number)
            break
        cut += number * (width - below)
    for column in columns:
        narrowed = max(min(widths[column], cap), min(widths[column], floor))
        excess -= widths[column] - narrowed
        widths[column] = narrowed
    return excess


def table_item(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def whole_item(text: str) -> QTableWidgetItem:
    """A cell of a column that gives way to a narrow table (:class:`FittedColumns`): whole on hover."""
    item = QTableWidgetItem(text)
    item.setToolTip(plain_tooltip(text))
    return item


def shown_reader(reader: str) -> str:
    """A reader (a SEG's ContentCreatorName, ``Smith^Ann``) as people read the name: ``Ann Smith``."""
    return readable_name(reader) or "(unknown reader)"


def reader_item(reader: str) -> QTableWidgetItem:
    """A table cell naming ``reader`` readably, the whole name on hover (a narrow column)."""
    item = QTableWidgetItem(shown_reader(reader))
    item.setToolTip(plain_tooltip(shown_reader(reader)))
    return item
