"""The Lesions list's *Unsure* column: once *AI > Show uncertainty* has computed its map, each
lesion gets the map's mean inside it, so the lesions the model is unsure of can be sorted first
and checked (until session 46 the map was only a heat overlay: a reader found a doubtful lesion
by scrolling through every one). No map: no column."""

from __future__ import annotations

import numpy as np
from lesion_lists import list_of_two
from PySide6.QtCore import Qt

from neuroview.app.uncertainty import UncertaintyMap
from neuroview.ui.copy_text import table_text


def test_each_lesion_gets_the_maps_mean_inside_it(qtbot, window, tmp_path):
    volume, _session, _segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    assert table_text(panel.table).splitlines()[0].split("\t")[-1] == "Location"   # no map, no column
    heat = np.zeros(volume.shape, np.float32)
    heat[big] = 0.1
    heat[small] = 0.9
    heat[tuple(np.argwhere(small)[:4].T)] = 0.5    # half the small lesion's 8 voxels: mean 0.7
    window.ai_actions.uncertainty.set_map(UncertaintyMap(heat, volume.ijk_to_ras.copy()))
    qtbot.waitUntil(lambda: "Unsure" in table_text(panel.table), timeout=5000)
    lines = [line.split("\t") for line in table_text(panel.table).splitlines()]
    assert lines[0] == ["#", "mL", "Diam. mm", "R/L", "A/P", "S/I", "Location", "Unsure"]
    assert [(row[0], row[-1]) for row in lines[1:]] == [("1", "0.10"), ("2", "0.70")]
    table = panel.table   # the column in sight: the dock widens to it (it came in under a scroll bar)
    qtbot.waitUntil(lambda: table.columnViewportPosition(7) + table.columnWidth(7)
                    <= table.viewport().width(), timeout=2000)
    panel.table.horizontalHeader().setSortIndicator(7, Qt.DescendingOrder)   # most unsure first
    assert [line.split("\t")[0] for line in table_text(panel.table).splitlines()[1:]] == ["2", "1"]


def test_a_map_on_a_coarser_grid_is_read_at_each_voxels_nearest(qtbot, window, tmp_path):
    """The map on its own grid (half the resolution): each lesion voxel reads the map's voxel
    nearest its centre."""
    volume, _session, _segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    coarse = volume.ijk_to_ras.copy()
    coarse[:3, :3] *= 2
    heat = np.full(tuple((s + 1) // 2 for s in volume.shape), 0.25, np.float32)
    heat[16:18, 15:17, 4:6] = 0.75   # the small lesion's voxels 33-34, 30-31, 8-9 halved
    window.ai_actions.uncertainty.set_map(UncertaintyMap(heat, coarse))
    qtbot.waitUntil(lambda: "Unsure" in table_text(panel.table), timeout=5000)
    rows = [line.split("\t") for line in table_text(panel.table).splitlines()[1:]]
    assert [(row[0], row[-1]) for row in rows] == [("1", "0.25"), ("2", "0.75")]
