"""Sort arrows that point the way users read them: ▲ ascending (smallest first), ▼ descending.

Qt's Fusion style on Linux draws the header's sort indicator the other way round (QHeaderView
passes ``SortUp`` for a descending sort, and Fusion draws ``SortUp`` as an up arrow), so the
Lesions list, sorted largest first, showed ▲ on its mL column. Windows, macOS, Slicer and
ITK-SNAP show ▼ for largest first. :class:`SortArrowStyle` draws the arrow from the header's sort
order instead of the platform's convention.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QProxyStyle, QStyle

from .qt_guard import guard_overrides


@guard_overrides
class SortArrowStyle(QProxyStyle):
    """The application's style, but a header's sort arrow shows its header's order (▲ ascending)."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        if element == QStyle.PE_IndicatorHeaderArrow and isinstance(widget, QHeaderView):
            ascending = widget.sortIndicatorOrder() == Qt.AscendingOrder
            element = QStyle.PE_IndicatorArrowUp if ascending else QStyle.PE_IndicatorArrowDown
        super().drawPrimitive(element, option, painter, widget)


def point_sort_arrows(header: QHeaderView) -> None:
    """Give ``header`` sort arrows that point the way its order reads (the style lives with it)."""
    style = SortArrowStyle()
    style.setParent(header)
    header.setStyle(style)
