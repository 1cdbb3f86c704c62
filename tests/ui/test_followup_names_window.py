"""The follow-up window and its report name a later study the same way, by number and what
tells it apart (``app/followup_names``): the window's list and title said the study's own name
(``t2``), the report "follow-up 1", so a reader could not tell which row of the report was the
study on screen."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from followup_views import followup_view  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))


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


def test_a_siemens_study_description_reads_without_its_caret(three_studies, qtbot, tmp_path, mni_volume):
    """A Siemens study's description is its exam tree's region and exam, ``Neuro^Head`` (DICOM's
    component separator); neuroview keeps the header's text as written, and the window named the
    studies ``follow-up 1 (Neuro^Head)``. A DICOM series with that StudyDescription and no
    SeriesDescription, read as the follow-up reads it (``followup.study_input``'s detail)."""
    from dataclasses import replace

    from series_maker import SeriesSpec, write_series

    from neuroview.app.followup_names import study_detail
    from neuroview.app.followup_report import ReportInfo
    from neuroview.io import load
    from neuroview.ui.followup_window import FollowupWindow

    series = write_series(tmp_path / "study", mni_volume, SeriesSpec(
        rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0,
        description="", extra=(("StudyDescription", "Neuro^Head"),)))
    metadata = load(series.folder).source_metadata
    assert metadata["StudyDescription"] == "Neuro^Head" and "SeriesDescription" not in metadata
    baseline_volume, baseline, laters, comparisons = three_studies
    view = FollowupWindow(baseline_volume, replace(baseline, detail=study_detail(metadata)),
                          [replace(later, detail=study_detail(metadata)) for later in laters],
                          comparisons, info=ReportInfo(masks_by="drawn by the test"))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.windowTitle() == "Follow-up: baseline (Neuro Head) | follow-up 1 (Neuro Head)"
    assert [view.timepoint.itemText(i) for i in range(view.timepoint.count())] == [
        "follow-up 1 (Neuro Head)", "follow-up 2 (Neuro Head)"]
