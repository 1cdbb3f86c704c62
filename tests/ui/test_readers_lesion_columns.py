"""The *Adjudicate* tab's lesion table on a narrow dialog: the readers' columns give way widest
first (a long name's column is shortened, the short names stay whole; they were shortened from the
right, Yuki Nakamura's first), and a column the user dragged wider keeps its width when the dialog
is resized (it snapped back to the fitted width)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from readers_helpers import find_and_compare, open_readers, study

READERS = ("Smith^Ann", "Jones^Bob", "Lee^Cat", "Van der Berg-Oliveira^Maria Theresa^^Dr.", "Okafor^Chidi",
           "Nakamura^Yuki")


def _content_width(table, column) -> int:
    header = table.horizontalHeader()
    return max(header.sectionSizeFromContents(column).width(), table.sizeHintForColumn(column))


def _adjudicate_tab(qtbot, window, tmp_path, mni_volume):
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, READERS, huge=False)))
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    qtbot.waitUntil(lambda: dialog.lesions.isVisible() and dialog.lesions.columnCount() == 8)
    return dialog, dialog.lesions


def _header_column(table, start: str) -> int:
    return next(c for c in range(table.columnCount())
                if table.horizontalHeaderItem(c).text().startswith(start))


def _widths(dialog, lesions, qtbot, width):
    dialog.resize(width, 560)
    qtbot.waitUntil(lambda: abs(lesions.viewport().width() - (width - 46)) < 40)
    readers = range(1, 1 + len(READERS))
    right = [lesions.columnViewportPosition(c) + lesions.columnWidth(c) for c in range(lesions.columnCount())]
    assert max(right) <= lesions.viewport().width()   # every column in view
    return {c: (lesions.columnWidth(c), _content_width(lesions, c)) for c in readers}


def test_the_widest_readers_column_gives_way_first(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog, lesions = _adjudicate_tab(qtbot, window, tmp_path, mni_volume)
    maria = _header_column(lesions, "Dr. Maria")
    widths = _widths(dialog, lesions, qtbot, 1000)   # room for all but the long name
    assert [c for c, (shown, needed) in widths.items() if shown < needed] == [maria]
    assert widths[maria][0] > 150   # shortened by what was missing, no more
    widths = _widths(dialog, lesions, qtbot, 800)    # the default: the wide ones level down together
    shortened = [c for c, (shown, needed) in widths.items() if shown < needed]
    assert maria in shortened and len(shortened) >= 2
    cap = max(widths[c][0] for c in shortened)
    assert all(widths[c][0] >= cap - 1 for c in shortened)
    assert all(needed <= cap for c, (shown, needed) in widths.items() if c not in shortened)


def test_a_column_the_user_dragged_keeps_its_width(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog, lesions = _adjudicate_tab(qtbot, window, tmp_path, mni_volume)
    header = lesions.horizontalHeader()
    column = _header_column(lesions, "Dr. Maria")
    before = lesions.columnWidth(column)
    edge = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) - 1,
                  header.height() // 2)   # the right edge of its header
    qtbot.mousePress(header.viewport(), Qt.LeftButton, pos=edge)
    for step in range(1, 7):
        qtbot.mouseMove(header.viewport(), QPoint(edge.x() + 10 * step, edge.y()))
    qtbot.mouseRelease(header.viewport(), Qt.LeftButton, pos=QPoint(edge.x() + 60, edge.y()))
    dragged = lesions.columnWidth(column)
    assert dragged >= before + 50, (before, dragged)
    for width in (760, 900, 820):   # the dialog resized: the dragged width stays
        dialog.resize(width, 560)
        qtbot.waitUntil(lambda w=width: abs(lesions.viewport().width() - (w - 40)) < 60)
        assert lesions.columnWidth(column) == dragged, width
