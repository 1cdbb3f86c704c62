"""The follow-up window and its report name a later study the same way, by number and what
tells it apart (``app/followup_names``): the window's list and title said the study's own name
(``t2``), the report "follow-up 1", so a reader could not tell which row of the report was the
study on screen."""

from __future__ import annotations

import re

from followup_views import followup_view  # noqa: F401


def test_the_window_and_its_report_name_the_follow_ups_alike(followup_view, qtbot, tmp_path):  # noqa: F811
    view = followup_view
    shown = [view.timepoint.itemText(i) for i in range(view.timepoint.count())]
    assert shown == ["follow-up 1 (t2)", "follow-up 2 (t3)"]
    view.timepoint.setCurrentIndex(1)
    assert view.windowTitle() == "Follow-up: baseline (t1) | follow-up 2 (t3)"
    view.write_report(tmp_path)
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=10000_000)
    html = (tmp_path / "report.html").read_text()
    totals = re.findall(r"<tr><td>([^<]*)</td><td>\d+</td>", html)
    assert totals == ["baseline (t1)", *shown]       # the Totals table's study column
    for name in shown:
        assert f"&rarr; {name}</h2>" in html
