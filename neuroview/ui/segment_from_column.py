"""The segment list's *From* column: its width (:class:`FromColumnFit`: the names whole first)
and its text elided to that width (:func:`elide_from`, :class:`MiddleElideDelegate`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .qt_guard import guard_overrides


@guard_overrides
class FromColumnFit(QObject):
    """The From column gets the width the Name column leaves: the names whole first (as far as
    the list is wide), the From text in the rest, at least ``MIN_FROM`` pixels, elided by
    :func:`elide_from` (``file colle…al.nii.gz + AI click``; whole in its tooltip). With the
    From column sized to its contents, a long ``file NAME + AI click`` at the dock's 350 pixels
    pushed the Name column to ``…1`` or the From text out of sight behind a horizontal scroll bar
    (until session 28)."""

    NAME, FROM = 3, 4
    MIN_FROM = 60

    def __init__(self, table) -> None:
        super().__init__(table)
        self.table = table
        header = table.horizontalHeader()
        header.setSectionResizeMode(self.FROM, QHeaderView.Fixed)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        table.setItemDelegateForColumn(self.FROM, MiddleElideDelegate(table))
        header.sectionResized.connect(lambda index, *_: self.fit() if index < self.NAME else None)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        room = table.viewport().width() - sum(table.columnWidth(c) for c in range(self.NAME))
        name = max(table.sizeHintForColumn(self.NAME), header.sectionSizeHint(self.NAME))
        wanted = max(table.sizeHintForColumn(self.FROM), header.sectionSizeHint(self.FROM))
        width = max(min(wanted, room - name), self.MIN_FROM)
        if table.columnWidth(self.FROM) != width:
            table.setColumnWidth(self.FROM, width)


ELLIPSIS = "\u2026"


def elide_from(parts, metrics, width: int) -> str:
    """The *From* cell's ``parts`` (origin word, name, refinements: ``Segments.source_parts``) in
    ``width`` pixels of ``metrics``: whole if they fit, else only the file's (or model's) name is
    elided in the middle, the origin word and the ``+ drawn`` / ``+ AI click`` refinements whole
    (``file de….gz + drawn``); with no room for a letter of the name, the name goes before the
    refinements do (``file … + drawn``, ``file …+ drawn``, ``file…+ drawn``, ``… + drawn``);
    elided on the right when even that does not fit. Until session 28 the whole text was elided
    in the middle (``file d… drawn``: neither the name nor the ``+`` left); until session 29 the
    parts were found by splitting the text, so a file named ``scan + drawn.nii.gz`` lost its
    name's end as if it were a refinement."""
    prefix, name, suffix = parts
    text = prefix + name + suffix
    if metrics.horizontalAdvance(text) <= width:
        return text
    if not name:   # a person's or an AI click segment: nothing to shorten but the words
        return metrics.elidedText(text, Qt.ElideRight, width)
    room = width - metrics.horizontalAdvance(prefix + suffix)
    name = metrics.elidedText(name, Qt.ElideMiddle, room)
    candidates = [prefix + name + suffix] if name.strip(ELLIPSIS) else []
    candidates += [prefix + ELLIPSIS + suffix, prefix + ELLIPSIS + suffix[1:],
                   prefix.rstrip() + ELLIPSIS + suffix[1:], ELLIPSIS + suffix]
    for shown in candidates[: None if suffix else 1]:   # no suffix: the name elided, or all
        if metrics.horizontalAdvance(shown) <= width:
            return shown
    return metrics.elidedText(text, Qt.ElideRight, width)


@guard_overrides
class MiddleElideDelegate(QStyledItemDelegate):
    """Shows a From cell on one line, elided by :func:`elide_from` to the cell's width (the name
    shortened, ``file`` and ``+ drawn`` kept); ``shown`` holds each row's text as last painted."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown: dict[int, str] = {}

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText   # one line, elided

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PM_FocusFrameHMargin, None, widget) + 1
        parts = index.data(Qt.UserRole)   # the cell's parts, else its text is all name
        parts = tuple(parts) if parts and len(parts) == 3 else ("", opt.text, "")
        opt.text = elide_from(parts, opt.fontMetrics, rect.width() - 2 * margin)
        self.shown[index.row()] = opt.text
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, widget)
