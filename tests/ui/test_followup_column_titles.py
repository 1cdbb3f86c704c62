"""The follow-up window's lesion table heads its columns in words a radiologist reads (``Baseline
(mL)``, ``Change (%)``), each header's tooltip naming its CSV column; the CSV exported keeps the
names programs read (``volume_baseline_ml``, ``change_pct``). Until session 45 the window's
headers were the CSV's names."""

from __future__ import annotations

import csv

from followup_views import followup_view  # noqa: F401  (a fixture)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from neuroview.app.followup_lesions import CSV_COLUMNS

PAIR_TITLES = ["ID", "Status", "Event", "Baseline (mL)", "Follow-up (mL)", "Change (mL)",
               "Change (%)", "R/L", "A/P", "S/I", "Parts at baseline", "Parts at follow-up"]


def headers(table) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_the_headers_are_words_and_the_csv_keeps_its_names(followup_view, qtbot, tmp_path,  # noqa: F811
                                                           monkeypatch):
    view = followup_view
    assert headers(view.table) == PAIR_TITLES
    tip = view.table.horizontalHeaderItem(PAIR_TITLES.index("Change (%)")).toolTip()
    assert tip == "change_pct in the exported CSV"
    view.table_choice.setCurrentIndex(1)   # all time points
    shown = headers(view.table)
    assert shown[:9] == ["ID", "Status", "Event", "tp1 (mL)", "tp2 (mL)", "tp3 (mL)",
                         "Change (mL)", "Change (%)", "Status tp2"]
    assert not any("_" in title for title in shown)
    view.table_choice.setCurrentIndex(0)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "table.csv"), a[-1]))
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    with open(tmp_path / "table.csv", newline="") as file:
        assert next(csv.reader(file)) == list(CSV_COLUMNS)
