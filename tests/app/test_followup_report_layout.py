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
