"""The Readers dialog's tables (:mod:`.readers_dialog`, :mod:`.readers_adjudicate`): rows selected
whole, cells read-only, columns sized to their contents; a reader named as people read a name
(``Ann Smith``, not DICOM's ``Smith^Ann``), whole on hover."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..io.dicom.person_name import readable_name


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def table_item(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def shown_reader(reader: str) -> str:
    """A reader (a SEG's ContentCreatorName, ``Smith^Ann``) as people read the name: ``Ann Smith``."""
    return readable_name(reader) or "(unknown reader)"


def reader_item(reader: str) -> QTableWidgetItem:
    """A table cell naming ``reader`` readably, the whole name on hover (a narrow column)."""
    item = QTableWidgetItem(shown_reader(reader))
    item.setToolTip(shown_reader(reader))
    return item
