"""The Lesions list shows each volume with three decimals and each diameter with one, as a column of
figures reads: a lesion of 0.8 mL read "0.8" under one of "0.064", and 14.0 mm read "14"."""

from __future__ import annotations

from lesion_lists import list_of_two
from PySide6.QtCore import Qt


def _shown(table, row, col) -> str:
    """The text the table draws in a cell (what its delegate makes of the cell's value)."""
    index = table.model().index(row, col)
    return table.itemDelegateForIndex(index).displayText(index.data(Qt.DisplayRole), table.locale())


def test_volumes_and_diameters_have_fixed_decimals_and_sort_as_numbers(qtbot, window, tmp_path):
    _volume, _session, _segment, _big, _small, panel = list_of_two(qtbot, window, tmp_path)
    table = panel.table
    volumes = [_shown(table, row, 1) for row in range(2)]
    assert volumes == ["0.800", "0.064"]      # 100 and 8 voxels of 2 mm, largest first
    diameters = [_shown(table, row, 2) for row in range(2)]
    assert all(len(text.split(".")[1]) == 1 for text in diameters), diameters
    assert [table.item(row, 1).data(Qt.DisplayRole) for row in range(2)] == [0.8, 0.064]
