"""The Display panel's *Slab* row (three boxes side by side) takes the width the panel's other
rows give it: when it came it widened the panel by 43 px at a 1000 px window, width taken from
the slice views (an exported axial view 314 -> 293 px wide, its statistics moved)."""

from __future__ import annotations


def test_the_slab_row_does_not_widen_the_display_panel(qtbot, window):
    window.resize(1000, 760)
    window.show()
    qtbot.waitExposed(window)
    panel, row = window.display_panel, window.display_panel.slab_row
    with_row = panel.sizeHint().width()
    row.hide()
    without_row = panel.sizeHint().width()
    row.show()
    assert with_row <= without_row, (with_row, without_row)
    qtbot.waitUntil(lambda: row.width() >= sum(box.sizeHint().width() for box in
                                               (row.thickness_box, row.mode_box, row.view_box)))
