"""The follow-up window's Report... after the user chose another later study and other thresholds:
the report holds what the window shows then (the table of the follow-up chosen, the table across
time points, the thresholds typed), not the window as it opened (s27: checked, it did)."""

from __future__ import annotations

import html

from followup_views import followup_view  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.app.followup_tables import shown_csv


def html_row(cells) -> str:
    return "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"


def test_the_report_holds_the_follow_up_and_thresholds_chosen_since(followup_view, qtbot, tmp_path,  # noqa: F811
                                                                     monkeypatch):
    view = followup_view
    opened = view.table_text()
    qtbot.keyClick(view.timepoint, Qt.Key_Down)          # follow-up 2
    view.min_change_pct.setValue(5.0)                      # a lesion 6.5 % bigger is enlarging now
    shown, shown_lines = view.table_text(), shown_csv(view).splitlines()[1:]
    assert view.index == 1 and shown != opened
    assert "enlarging" in [cells[1] for cells in shown if cells[6] == "+6.5"]
    view.table_choice.setCurrentIndex(1)
    across = view.table_text()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    qtbot.mouseClick(view.report_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=120000)
    report = (tmp_path / "report.html").read_text()
    for cells in shown + across:
        assert html_row(cells) in report
    assert "at least 5 % of the baseline volume" in report
    assert "at least 25 %" not in report
    written = (tmp_path / "lesions_tp3.csv").read_text().splitlines()[1:]
    assert sorted(written) == sorted(shown_lines)   # the signed RAS there, R 7.5 in the window
