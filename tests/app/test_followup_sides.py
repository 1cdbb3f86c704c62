"""Where a person reads a follow-up lesion's position (the report, the follow-up window's table)
it is a side and a distance, as the main window's Lesions panel says it (``L 21.1``): the report
said ``r_mm`` ``-21.1`` for the lesion the panel called ``L 20.3``, and a reader could take the
side wrong. The CSV keeps the signed RAS mm for programs, under ``x_ras_mm, y_ras_mm, z_ras_mm``."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from neuroview.app.followup import Comparison, StudyInput
from neuroview.app.followup_lesions import LesionRow, LesionTable, table_csv
from neuroview.app.followup_report import ReportInfo, report_html, write_report_pdf
from neuroview.app.followup_track import track_lesions
from neuroview.io.registration import Registration


def test_the_report_says_the_side_and_the_csv_keeps_the_signed_ras(tmp_path):
    row = LesionRow(id=1, status="new", event="", volume_baseline_ml=0.0, volume_followup_ml=0.3,
                    position_ras=(-21.1, 3.0, -5.04), baseline_parts=0, followup_parts=1)
    table = LesionTable([row])
    comparison = Comparison(Registration(np.eye(4), "rigid", -0.5, 10), table, None)
    html = report_html([comparison], {}, ReportInfo())
    assert "<th>R/L</th><th>A/P</th><th>S/I</th>" in html
    assert "<td>L 21.1</td><td>A 3.0</td><td>I 5.0</td>" in html
    assert "-21.1" not in html and "r_mm" not in html
    pytest.importorskip("matplotlib")
    from pypdf import PdfReader

    write_report_pdf(tmp_path / "report.pdf", [comparison], {}, ReportInfo())
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "L 21.1" in text and "R/L" in text and "-21.1" not in text
    cells = list(csv.DictReader(io.StringIO(table_csv(table))))[0]
    assert (cells["x_ras_mm"], cells["y_ras_mm"], cells["z_ras_mm"]) == ("-21.1", "3.0", "-5.0")


def test_the_table_across_time_points_in_the_report_says_the_side_too():
    affine = np.eye(4)
    affine[:3, 3] = (-10.0, -10.0, -10.0)
    mask = np.zeros((21, 21, 21), np.uint8)
    mask[16:19, 2:5, 9:12] = 1                   # x = +7 mm (right), y = -7 mm (posterior)
    image = np.ones(mask.shape, np.float32)
    studies = [StudyInput(image, affine, mask) for _ in range(2)]
    tracking = track_lesions(studies, [np.eye(4)] * 2)
    cells = dict(zip(tracking.columns(), tracking.text_rows()[0]))
    assert (cells["x_ras_mm"], cells["y_ras_mm"]) == ("7.0", "-7.0")
    comparison = Comparison(Registration(np.eye(4), "rigid", -0.5, 10), LesionTable([]), None)
    html = report_html([comparison], {}, ReportInfo(), tracking)
    assert "<td>R 7.0</td><td>P 7.0</td><td>0.0</td>" in html


def test_the_report_heads_its_tables_with_the_windows_words(tmp_path):
    """The report's tables were headed by the CSV's names (``volume_baseline_ml``) where the
    follow-up window's tables say ``Baseline (mL)`` (session 45): the same words now."""
    affine = np.eye(4)
    affine[:3, 3] = (-10.0, -10.0, -10.0)
    mask = np.zeros((21, 21, 21), np.uint8)
    mask[16:19, 2:5, 9:12] = 1
    studies = [StudyInput(np.ones(mask.shape, np.float32), affine, mask) for _ in range(2)]
    tracking = track_lesions(studies, [np.eye(4)] * 2)
    row = LesionRow(id=1, status="new", event="", volume_baseline_ml=0.0, volume_followup_ml=0.3,
                    position_ras=(-21.1, 3.0, -5.04), baseline_parts=0, followup_parts=1)
    comparison = Comparison(Registration(np.eye(4), "rigid", -0.5, 10), LesionTable([row]), None)
    html = report_html([comparison], {}, ReportInfo(), tracking)
    pair = ("<th>ID</th><th>Status</th><th>Event</th><th>Baseline (mL)</th><th>Follow-up (mL)</th>"
            "<th>Change (mL)</th><th>Change (%)</th><th>R/L</th><th>A/P</th><th>S/I</th>"
            "<th>Parts at baseline</th><th>Parts at follow-up</th></tr>")
    across = ("<th>ID</th><th>Status</th><th>Event</th><th>tp1 (mL)</th><th>tp2 (mL)</th>"
              "<th>Change (mL)</th><th>Change (%)</th><th>Status tp2</th><th>R/L</th><th>A/P</th>"
              "<th>S/I</th><th>Parts tp1</th><th>Parts tp2</th></tr>")
    assert pair in html and across in html
    assert not any(name in html for name in ("volume_", "change_pct", "_parts", "parts_tp", "status_tp"))
    pytest.importorskip("matplotlib")
    from pypdf import PdfReader

    write_report_pdf(tmp_path / "report.pdf", [comparison], {}, ReportInfo(), tracking)
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert all(title in text for title in ("Baseline (mL)", "Follow-up (mL)", "tp2 (mL)", "Status tp2"))
    assert not any(name in text for name in ("volume_", "change_pct", "_parts", "parts_tp", "status_tp"))
