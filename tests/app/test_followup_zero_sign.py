"""The lesion tables (CSV, report, follow-up window) write a figure that rounds to zero without a
minus sign: a lesion on the midline read ``r_mm`` ``-0.0`` (s26 walk), an unchanged one
``change_pct`` ``-0.0``."""

from __future__ import annotations

import numpy as np

from neuroview.app.followup import StudyInput
from neuroview.app.followup_lesions import CSV_COLUMNS, LesionRow, LesionTable, table_rows
from neuroview.app.followup_track import track_lesions


def test_pair_table_figures_that_round_to_zero_have_no_minus_sign():
    row = LesionRow(id=1, status="stable", event="", volume_baseline_ml=1.0,
                    volume_followup_ml=0.9996, position_ras=(-0.04, 12.0, -0.01),
                    baseline_parts=1, followup_parts=1)
    cells = dict(zip(CSV_COLUMNS, table_rows(LesionTable([row]))[0]))
    assert (cells["x_ras_mm"], cells["y_ras_mm"], cells["z_ras_mm"]) == ("0.0", "12.0", "0.0")
    assert cells["change_pct"] == "0.0" and cells["change_ml"] == "-0.0004"


def test_table_across_time_points_midline_lesion_reads_zero():
    affine = np.eye(4)
    affine[:3, 3] = (-10.02, -10.02, -10.02)   # voxel 10 lies at -0.02 mm
    mask = np.zeros((21, 21, 21), np.uint8)
    mask[9:12, 9:12, 9:12] = 1                   # centred there: on the midline
    image = np.ones(mask.shape, np.float32)
    studies = [StudyInput(image, affine, mask) for _ in range(2)]
    tracking = track_lesions(studies, [np.eye(4)] * 2)
    cells = dict(zip(tracking.columns(), tracking.text_rows()[0]))
    assert (cells["x_ras_mm"], cells["y_ras_mm"], cells["z_ras_mm"]) == ("0.0", "0.0", "0.0")
