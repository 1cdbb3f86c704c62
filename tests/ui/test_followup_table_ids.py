"""The follow-up lesion table shows one id per row, its ``id`` column: Qt's row numbers stood
beside it, 1, 2, 3... whatever the sort, so a table sorted by volume showed two numbers per row
that disagreed."""

from __future__ import annotations

from followup_table_clicks import click_header
from followup_views import followup_view  # noqa: F401


def test_the_table_shows_its_ids_and_no_row_numbers(followup_view, qtbot):  # noqa: F811
    table = followup_view.table
    click_header(qtbot, table, "volume_baseline_ml")
    ids = [cells[0] for cells in followup_view.table_text()]
    assert ids != sorted(ids, key=int)                # sorted by volume: ids out of order
    assert not table.verticalHeader().isVisible()
    # the id column is the table's left edge: no strip of row numbers left of it
    assert table.viewport().geometry().left() == table.frameWidth()
    assert table.columnViewportPosition(0) == 0
