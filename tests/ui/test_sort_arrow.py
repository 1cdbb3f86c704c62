"""The Lesions list's sort arrow points the way the list reads: ▼ on mL while it is sorted largest
first (Qt's Fusion style on Linux drew ▲ there, which reads as smallest first), ▲ ascending."""

from __future__ import annotations

from editor_helpers import sort_arrow_widths
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget


def test_largest_first_shows_a_down_arrow_and_smallest_first_an_up_arrow(qtbot, window):
    window.findChild(QDockWidget, "Lesions").raise_()
    header = window.lesions.table.horizontalHeader()
    qtbot.waitUntil(header.isVisible, timeout=5000)
    assert header.sortIndicatorSection() == 1 and header.sortIndicatorOrder() == Qt.DescendingOrder
    widths = sort_arrow_widths(header, 1)
    assert len(widths) >= 3 and widths == sorted(widths, reverse=True) and widths[0] > widths[-1]  # ▼
    header.setSortIndicator(1, Qt.AscendingOrder)
    widths = sort_arrow_widths(header, 1)
    assert len(widths) >= 3 and widths == sorted(widths) and widths[0] < widths[-1]                # ▲
