"""The follow-up window's table across all time points says what its tp columns are, as the report
does above the same table: the window showed volume_tp2_ml and status_tp3 with no word of which
study tp2 or tp3 was (s33 walk)."""

from __future__ import annotations

from followup_views import followup_view  # noqa: F401  (a fixture)
from PySide6.QtWidgets import QLabel


def shown_lines(view) -> list[str]:
    return [label.text() for label in view.findChildren(QLabel) if label.isVisible() and label.text()]


def test_the_table_across_time_points_names_each_time_point(followup_view, qtbot):  # noqa: F811
    view = followup_view
    legend = "tp1 = baseline (t1), tp2 = follow-up 1 (t2), tp3 = follow-up 2 (t3)"
    assert not any(line.startswith("tp1 = ") for line in shown_lines(view))   # the pair's table
    view.table_choice.setCurrentIndex(1)   # all time points
    qtbot.waitUntil(lambda: any(line.startswith(legend) for line in shown_lines(view)))
    line = next(line for line in shown_lines(view) if line.startswith(legend))
    assert "Status tpN: against the time point before" in line
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    assert {"tp1 (mL)", "tp2 (mL)", "tp3 (mL)", "Status tp3"} <= set(headers)
    view.table_choice.setCurrentIndex(0)   # back to baseline against the follow-up shown
    assert not any(line.startswith("tp1 = ") for line in shown_lines(view))
