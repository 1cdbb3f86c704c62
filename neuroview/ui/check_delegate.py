"""Check boxes centred in their cell, toggled by a click anywhere in it (the Segment editor list's
Show and Lock columns, the Segments panel's Show since session 39), as Slicer's eye and lock icons are.

A table item's check box sits at the left of its cell and only a click on the box itself toggles
it: in the Show and Lock columns, wider than the box (their titles), a click in the middle of the
cell did nothing (until session 25).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPersistentModelIndex, QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .qt_guard import guard_overrides


@guard_overrides
class CentredCheckDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._pressed = QPersistentModelIndex()   # the cell a left button went down in

    def _box(self, option, index) -> QRect:
        """The check box's rectangle, centred in the cell."""
        style = option.widget.style() if option.widget is not None else QApplication.style()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        size = style.subElementRect(QStyle.SE_ItemViewItemCheckIndicator, opt, option.widget).size()
        box = QRect(0, 0, size.width(), size.height())
        box.moveCenter(option.rect.center())
        return box

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        state = index.data(Qt.CheckStateRole)
        opt.features &= ~QStyleOptionViewItem.HasCheckIndicator   # the cell, with no box at the left
        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, option.widget)
        if state is None:
            return
        box = QStyleOptionViewItem(opt)
        box.rect = self._box(option, index)
        box.state = (box.state & ~(QStyle.State_On | QStyle.State_Off)) | (
            QStyle.State_On if Qt.CheckState(state) == Qt.Checked else QStyle.State_Off)
        style.drawPrimitive(QStyle.PE_IndicatorItemViewItemCheck, box, painter, option.widget)

    def editorEvent(self, event, model, option, index) -> bool:
        """A left click anywhere in the cell toggles the box (on release, as Qt's own box does);
        the keys (Space) work as before."""
        flags = index.flags()
        if not (flags & Qt.ItemIsUserCheckable and flags & Qt.ItemIsEnabled):
            return False
        kind = event.type()
        if kind == QEvent.MouseButtonPress and event.button() == Qt.LeftButton:
            self._pressed = QPersistentModelIndex(index)
            return True   # taken, as Qt's own box takes it: ticking a box does not select its row
        if kind in (QEvent.MouseButtonRelease, QEvent.MouseButtonDblClick):
            if event.button() != Qt.LeftButton or not option.rect.contains(event.position().toPoint()):
                return False
            if kind == QEvent.MouseButtonDblClick:
                return True   # the double click's second release toggles it back, as Qt's box does
            if self._pressed != QPersistentModelIndex(index):
                return False   # pressed in another cell and dragged here
            self._pressed = QPersistentModelIndex()
            checked = Qt.CheckState(index.data(Qt.CheckStateRole)) == Qt.Checked
            return model.setData(index, Qt.Unchecked if checked else Qt.Checked, Qt.CheckStateRole)
        return super().editorEvent(event, model, option, index)
