"""The Lesions list's sort arrow points the way the list reads: ▼ on mL while it is sorted largest
first (Qt's Fusion style on Linux drew ▲ there, which reads as smallest first), ▲ ascending."""

from __future__ import annotations

from editor_helpers import grab
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from scipy import ndimage


def _arrow_widths(header, column: int) -> list[int]:
    """Dark pixels per screen row of the sort arrow in ``column``'s header section (the rightmost
    dark shape in it), top to bottom."""
    pixels = grab(header).astype(int).sum(axis=2)
    left = header.sectionViewportPosition(column)
    section = pixels[:, left: left + header.sectionSize(column) - 1]
    shapes, _ = ndimage.label(section < section.max() - 150)
    boxes = [box for box in ndimage.find_objects(shapes)
             if box[1].stop - box[1].start < section.shape[1] - 2]       # not the header's line
    arrow = max(boxes, key=lambda box: box[1].start)
    widths = (shapes[arrow] == shapes[arrow].max()).sum(axis=1)
    return [int(w) for w in widths if w]


def test_largest_first_shows_a_down_arrow_and_smallest_first_an_up_arrow(qtbot, window):
    window.findChild(QDockWidget, "Lesions").raise_()
    header = window.lesions.table.horizontalHeader()
    qtbot.waitUntil(header.isVisible, timeout=5000)
    assert header.sortIndicatorSection() == 1 and header.sortIndicatorOrder() == Qt.DescendingOrder
    widths = _arrow_widths(header, 1)
    assert len(widths) >= 3 and widths == sorted(widths, reverse=True) and widths[0] > widths[-1]  # ▼
    header.setSortIndicator(1, Qt.AscendingOrder)
    widths = _arrow_widths(header, 1)
    assert len(widths) >= 3 and widths == sorted(widths) and widths[0] < widths[-1]                # ▲
