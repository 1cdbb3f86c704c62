"""The segment list's *From* cell is shortened from its parts (origin, name, refinements:
``Segments.source_parts``), never by splitting the text it shows: labels loaded from a DICOM SEG
file named ``scan + drawn`` (no extension, as DICOM files often are) read ``file sc… + drawn`` in a
narrow dock until session 29, as if a person had drawn in them; the ``+ drawn`` the list adds once
a person paints stays whole."""

from __future__ import annotations

import os

import numpy as np
from editor_helpers import paint_a_dicom_series, save_and_wait, stroke

NAME = "scan + drawn"


def shown_at(qtbot, panel, width: int) -> str:
    """The From cell of row 0 as painted in a ``width`` pixels wide column."""
    table = panel.table
    table.setColumnWidth(4, width)
    delegate = table.itemDelegateForColumn(4)
    delegate.shown.clear()
    panel.grab()   # paints the cells
    return delegate.shown[0]


def test_a_file_named_plus_drawn_is_a_name_not_a_refinement(qtbot, window, tmp_path):
    session = paint_a_dicom_series(qtbot, window, tmp_path)   # segment "lesion", a 4 mm ball
    seg = save_and_wait(window, tmp_path / "out" / NAME, seg=True)
    assert seg.name == NAME and seg.is_file()
    while window.editor.can_undo():
        window.editor.undo()
    window.edit_actions.dock.raise_()
    window.edit_actions.load_labels(seg)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    panel = window.edit_actions.panel
    table = panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 4).text() == f"file {NAME}",
                    timeout=10000)
    assert session.segments.source_parts(1) == ("file ", NAME, "")
    metrics = table.fontMetrics()
    width = metrics.horizontalAdvance("file sca\u2026rawn") + 12
    shown = shown_at(qtbot, panel, width)
    panel.grab().save(os.fspath(tmp_path / "from_narrow.png"))
    assert "\u2026" in shown and shown.startswith("file s"), shown
    assert "+ drawn" not in shown, shown   # nobody drew in it: the name shortened, all of it
    # painted by hand: the list's own "+ drawn" is kept whole, the name shortened before it
    centre = session.volume.center_ras
    window.controller.set_crosshair(centre)
    panel.select_tool("paint")
    stroke(window, "axial", [centre, centre + np.array([3.0, 0.0, 0.0])])
    qtbot.waitUntil(lambda: table.item(0, 4).text() == f"file {NAME} + drawn", timeout=10000)
    assert session.segments.source_parts(1) == ("file ", NAME, " + drawn")
    shown = shown_at(qtbot, panel, metrics.horizontalAdvance("file sc\u2026 + drawn") + 12)
    assert shown.startswith("file s") and shown.endswith(" + drawn") and "\u2026" in shown, shown
    assert shown.count("drawn") == 1, shown
