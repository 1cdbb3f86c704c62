"""The follow-up window says under its lesion table where the new and enlarging lesions lie, the
line the report writes under its totals (``new lesions: 2 (periventricular 1, juxtacortical
1)``): it had only the Location column. The studies are the lesion-location tests' placed head
(``tests.app.located_heads``): the baseline without lesions, the later study with its five (one
template fit: the later study's)."""

from __future__ import annotations

import functools

import pytest
from editor_helpers import activate
from PySide6.QtCore import QPoint, Qt

from neuroview.app.followup_location import StudyLocations, locate_rows
from neuroview.app.followup_report import ReportInfo
from neuroview.core.volume import Volume
from tests.app.located_heads import compared_as_is, located_head, studies_with_new

pytest.importorskip("nilearn")
ALL = "new lesions: 5 (periventricular 1, juxtacortical 1, infratentorial 2, deep white matter 1)"


@functools.lru_cache(maxsize=1)
def _located():
    head = located_head("flair")
    baseline, later = studies_with_new(head, tuple(name for name, _ in head.expected))
    comparison = compared_as_is(baseline, later)
    locate_rows(comparison, 1, StudyLocations([baseline, later]))
    return Volume(head.image, head.ijk_to_ras, modality="MR"), baseline, later, comparison


def _row_of(view, location: str) -> int:
    column = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    return next(r for r, cells in enumerate(view.table_text())
                if cells[column.index("Location")] == location)


def test_the_new_lesions_per_location_under_the_table(qtbot):
    from neuroview.ui.followup_window import FollowupWindow

    volume, baseline, later, comparison = _located()
    view = FollowupWindow(volume, baseline, [later], [comparison],
                          info=ReportInfo(masks_by="drawn by the test"))
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    activate(qtbot, view)   # Delete and Ctrl+Z are the window's shortcuts
    line = view.locations_line
    assert line.text() == ALL
    # seen, right under the table
    table_bottom = view.table.mapTo(view, QPoint(0, view.table.height())).y()
    top = line.mapTo(view, QPoint(0, 0)).y()
    assert line.isVisible() and line.height() > 0 and 0 <= top - table_bottom < 40
    # the table across time points: the follow-up named, as the report's line
    view.table_choice.setCurrentIndex(1)
    assert line.text() == f"{view.names[0]}: {ALL}"
    view.table_choice.setCurrentIndex(0)
    # a new lesion marked wrong (Delete on its row) is left out of the line, as of the counts
    table = view.table
    rect = table.visualItemRect(table.item(_row_of(view, "periventricular"), 1))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key_Delete)
    assert line.text() == "new lesions: 4 (juxtacortical 1, infratentorial 2, deep white matter 1)"
    qtbot.keyClick(view.pair, Qt.Key_Z, Qt.ControlModifier)   # undone: counted again
    assert line.text() == ALL
