"""The follow-up window's lesion table: the sort follows its column when the other table is
chosen, and a row chosen by click or by the arrow keys puts the crosshair on the centre of the
baseline voxel at the lesion's centre, so both panes show one voxel slice (s26 walk)."""

from __future__ import annotations

import numpy as np
from followup_table_clicks import click_header
from followup_views import followup_view  # noqa: F401
from PySide6.QtCore import Qt

from neuroview.app.view_measure import format_ras_side
from neuroview.core.geometry import apply_affine
from neuroview.ui.followup_table import column_name


def sorted_column(table) -> str:
    return column_name(table, table.horizontalHeader().sortIndicatorSection())


def test_the_sort_follows_its_column_into_the_other_table(followup_view, qtbot):  # noqa: F811
    view, table = followup_view, followup_view.table
    click_header(qtbot, table, "R/L")
    assert sorted_column(table) == "R/L"
    view.table_choice.setCurrentIndex(1)   # all time points: R/L is another column there
    assert sorted_column(table) == "R/L"
    column = view.tracking.columns().index("x_ras_mm")
    shown = [cells[column] for cells in view.table_text()]
    assert all(text == "0.0" or text[:2] in ("R ", "L ") for text in shown)   # sides, as the Lesions panel
    # sorted from the left side to the right: the signed x of the CSV, ascending
    values = [-float(t[2:]) if t.startswith("L") else float(t.lstrip("R ")) for t in shown]
    assert values == sorted(values)
    by_id = {cells[0]: cells[column] for cells in view.tracking.text_rows()}
    assert [format_ras_side(float(by_id[cells[0]]), 0) for cells in view.table_text()] == shown
    click_header(qtbot, table, "volume_tp2_ml")   # not in the pair's table: back to id
    view.table_choice.setCurrentIndex(0)
    assert sorted_column(table) == "id"
    assert [int(cells[0]) for cells in view.table_text()] == sorted(
        int(cells[0]) for cells in view.table_text())


def voxel_centre(volume, p_ras) -> np.ndarray:
    return apply_affine(volume.ijk_to_ras, np.rint(volume.ras_to_ijk_points(np.asarray(p_ras))))


def test_a_row_chosen_by_click_or_key_goes_to_the_lesion_voxel(followup_view, qtbot):  # noqa: F811
    view, table, pair = followup_view, followup_view.table, followup_view.pair
    lesions = {row.id: row for row in view.comparison.table.rows}
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(table.item(0, 1)).center())
    first = lesions[int(table.item(0, 0).text())]
    assert np.allclose(pair.state.crosshair_ras, voxel_centre(pair.baseline, first.position_ras))
    ijk = pair.baseline.ras_to_ijk_points(pair.state.crosshair_ras)
    assert np.allclose(ijk, np.rint(ijk), atol=1e-6)   # one voxel slice in every plane
    qtbot.keyClick(table, Qt.Key_Down)
    assert table.currentRow() == 1
    second = lesions[int(table.item(1, 0).text())]
    assert np.allclose(pair.state.crosshair_ras, voxel_centre(pair.baseline, second.position_ras))
    assert not np.allclose(second.position_ras, first.position_ras)
