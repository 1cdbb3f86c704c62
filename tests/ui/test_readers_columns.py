"""Every column of the Readers dialog's tables in view at its default size: with six readers,
one of them ``Dr. Maria Theresa Van der Berg-Oliveira``, the legend's *Specificity* column sat
past the right edge (a horizontal scroll bar, the figures out of sight). Now the Model, Found on
and Reader columns give way (elided, whole on hover) and every figure stays whole."""

from __future__ import annotations

from readers_helpers import find_and_compare, open_readers, study

READERS = ("Smith^Ann", "Jones^Bob", "Lee^Cat", "Van der Berg-Oliveira^Maria Theresa^^Dr.", "Okafor^Chidi",
           "Nakamura^Yuki")


def _all_in_view(table) -> None:
    right = [table.columnViewportPosition(c) + table.columnWidth(c) for c in range(table.columnCount())]
    assert max(right) <= table.viewport().width(), (right, table.viewport().width())
    assert table.horizontalScrollBar().maximum() == 0


def _whole(table, column) -> None:
    """The column's header and cells are not cut (figures are never elided)."""
    metrics = table.fontMetrics()
    texts = [table.item(r, column).text() for r in range(table.rowCount())]
    assert table.columnWidth(column) >= max(metrics.horizontalAdvance(t) for t in texts), texts


def test_every_column_of_the_readers_tables_is_in_view(qtbot, window, tmp_path, mni_volume, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    dialog = find_and_compare(qtbot, window, open_readers(
        qtbot, window, study(tmp_path, mni_volume, READERS, huge=False)))
    legend, pairs = dialog.legend, dialog.pairs
    assert legend.horizontalHeaderItem(6).text() == "Specificity"
    for table in (legend, pairs):
        _all_in_view(table)
    assert (dialog.width(), dialog.height()) == (800, 560)   # the default size
    for column in (2, 3, 4, 5):   # Dice, HD95, lesion F1, volume difference
        _whole(pairs, column)
    row = next(r for r in range(legend.rowCount()) if legend.item(r, 0).text().startswith("Dr. Maria"))
    assert legend.item(row, 0).toolTip() == "Dr. Maria Theresa Van der Berg-Oliveira"   # whole on hover
    assert legend.item(row, 1).toolTip() == "this computer"

    for column in (0, 4, 5, 6):   # at the default size the names whole too, and the figures
        _whole(legend, column)

    dialog.resize(560, 560)   # narrower: the Model, Found on, Date and Reader columns give way
    qtbot.waitUntil(lambda: legend.viewport().width() < 520)
    for table in (legend, pairs):
        _all_in_view(table)
    for column in (4, 5, 6):
        _whole(legend, column)

    dialog.resize(1093, 560)   # 1366x768 at 125 %: room enough, nothing cut
    qtbot.waitUntil(lambda: legend.viewport().width() > 900)
    _all_in_view(legend)
    for column in range(legend.columnCount()):
        _whole(legend, column)

