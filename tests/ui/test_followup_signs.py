"""The follow-up tables give ``change_pct`` its sign as ``change_ml`` has one ("+3.8933" stood
beside "400.5"): in the window and in the CSV written, for the pair's table and the table across
time points; a change that rounds to zero reads 0.0, unsigned (tests/app/test_followup_zero_sign.py)."""

from __future__ import annotations

import csv

import pytest
from followup_views import followup_view  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from neuroview.ui.followup_table import column_name


def signed_like_its_ml(ml: str, pct: str) -> bool:
    """``pct`` carries the sign of ``ml``: both + or both - (a zero percent: no sign)."""
    if float(pct) == 0.0:
        return pct[0].isdigit()
    return pct[0] in "+-" and pct[0] == ml[0]


@pytest.mark.parametrize("choice", [0, 1], ids=["pair", "all-time-points"])
def test_change_pct_is_signed_in_the_window_and_the_csv(followup_view, qtbot, tmp_path,  # noqa: F811
                                                         monkeypatch, choice):
    view = followup_view
    view.table_choice.setCurrentIndex(choice)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "table.csv"), a[-1]))
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    with open(tmp_path / "table.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    changed = [(r["change_ml"], r["change_pct"]) for r in rows if r["change_pct"]]
    assert any(ml.startswith("+") for ml, _ in changed) and any(ml.startswith("-") for ml, _ in changed)
    assert all(signed_like_its_ml(ml, pct) for ml, pct in changed), changed
    header = [column_name(view.table, c) for c in range(view.table.columnCount())]
    shown = [dict(zip(header, cells)) for cells in view.table_text()]
    assert sorted((r["change_ml"], r["change_pct"]) for r in shown) == sorted(
        (r["change_ml"], r["change_pct"]) for r in rows)
