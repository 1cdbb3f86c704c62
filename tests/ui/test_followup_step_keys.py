"""Keys that step through the follow-up window's lesions from the panes (which hold the keys):
N / P the next / previous new or enlarging lesion, passing over one marked wrong, and . / ,
every row in the table's order, as the main window's Next lesion. Both panes jump to each. Until
session 41 neither key did anything: a reader clicked into the table and walked all its rows."""

from __future__ import annotations

import numpy as np
from followup_views import followup_view, lesion_voxel  # noqa: F401
from PySide6.QtCore import Qt


def _visit(qtbot, view, key, times, modifier=Qt.NoModifier):
    seen = []
    for _ in range(times):
        qtbot.keyClick(view.pair, key, modifier)
        lesion = view.lesion_at(view.table.currentRow())
        assert np.allclose(view.pair.state.crosshair_ras, lesion_voxel(view.pair, lesion))
        seen.append(lesion.id)
    return seen


def test_n_steps_through_the_new_and_enlarging_lesions(followup_view, qtbot):  # noqa: F811
    view = followup_view
    rows = view.comparison.table.rows
    key = [r.id for r in rows if r.status in ("new", "enlarging")]
    assert len(key) >= 2 and len(key) < len(rows)
    assert view.pair.hasFocus()
    assert _visit(qtbot, view, Qt.Key_N, len(key) + 1) == key + key[:1]       # round again
    assert "(from the top)" in view.status.text()
    assert _visit(qtbot, view, Qt.Key_P, 2) == [key[-1], key[-2]]
    view.table.setCurrentCell(0, 0)
    assert _visit(qtbot, view, Qt.Key_Period, len(rows) - 1) == [r.id for r in rows][1:]
    assert _visit(qtbot, view, Qt.Key_Comma, 1) == [rows[-2].id]

    view.table.setCurrentCell(0, 0)
    view.marking.toggle(next(r for r in rows if r.id == key[0]))            # marked wrong: passed over
    view.table.setCurrentCell(view.table.rowCount() - 1, 0)
    assert _visit(qtbot, view, Qt.Key_N, len(key) - 1) == key[1:]
    view.marking.undo()
