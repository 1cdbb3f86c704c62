"""The PDF report's first page: the lesion count and load plot sits under the summary text however
long it is. It stood at a fixed height, so six follow-ups (two lines each), or two whose
comparisons carry warnings (the s19 walk: a failed-looking registration and a CT against an MR
took five lines for one follow-up), ran the text into the plot."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from neuroview.app.followup import Comparison  # noqa: E402
from neuroview.app.followup_lesions import LesionRow, LesionTable  # noqa: E402
from neuroview.app.followup_report import ReportInfo, summary_page  # noqa: E402
from neuroview.io.registration import Registration  # noqa: E402


def comparison(name: str) -> Comparison:
    row = LesionRow(1, "stable", "", 1.0, 1.05, (0.0, 0.0, 0.0), 1, 1)
    return Comparison(Registration(np.eye(4), "rigid", -1.0, 10), LesionTable([row]), 0.1, name)


def test_the_plot_stays_under_the_text():
    count = 6
    comparisons = [comparison(f"follow-up {n}") for n in range(1, count + 1)]
    figure = summary_page(comparisons, ["baseline"] + [c.followup_name for c in comparisons],
                          ReportInfo(masks_by="a reader"))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)   # lays the page out
    text_bottom = min(t.get_window_extent(renderer).y0 for t in figure.texts)
    (axes, *_) = figure.axes
    assert axes.get_tightbbox(renderer).y1 < text_bottom
    assert axes.get_position().height > 0.1    # still a plot


def test_the_table_across_six_time_points_lies_within_the_page(tmp_path):
    """Its 21 columns ran off both sides of the A4 page (ID and Parts tp6 cut off): the type is
    made smaller until the table fits."""
    from pypdf import PdfReader

    from neuroview.app.followup import StudyInput
    from neuroview.app.followup_report import TRACKING_TITLE, write_report_pdf
    from neuroview.app.followup_track import track_lesions

    affine = np.eye(4)
    affine[:3, 3] = -10.0
    mask = np.zeros((21, 21, 21), np.uint8)
    mask[16:19, 2:5, 9:12] = 1
    tracking = track_lesions([StudyInput(np.ones(mask.shape, np.float32), affine, mask)] * 6,
                             [np.eye(4)] * 6)
    write_report_pdf(tmp_path / "report.pdf", [comparison("follow-up 1")], {}, ReportInfo(), tracking)
    page = next(p for p in PdfReader(tmp_path / "report.pdf").pages if TRACKING_TITLE in p.extract_text())
    width, placed = float(page.mediabox.width), []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: text.strip() and placed.append(
        (text.strip(), (cm[0] * tm[4] + cm[2] * tm[5] + cm[4]))))
    xs = dict(placed)
    assert "ID" in xs and "Parts tp6" in xs, placed
    assert min(xs.values()) >= 0 and xs["Parts tp6"] + 20 <= width, (xs["ID"], xs["Parts tp6"], width)
