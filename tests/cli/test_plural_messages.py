"""Counts in messages agree with their noun: "batch of 1 cases" and "(1 lesions; 1 cases failed)"
were printed where a count can be one."""

from __future__ import annotations

from neuroview.cli import models, segment
from neuroview.cli.batch_cases import batch_line
from neuroview.core.plural import plural


def test_plural_says_one_and_many():
    assert [plural(n, "case") for n in (0, 1, 2)] == ["0 cases", "1 case", "2 cases"]
    assert plural(1, "study", "studies") == "1 study" and plural(3, "study", "studies") == "3 studies"


def test_a_batch_of_one_case(tmp_path):
    line = batch_line(str(tmp_path), [str(tmp_path / "a.nii.gz")])
    assert line.startswith("batch of 1 case (each an image file or sub-folder"), line
    assert batch_line(str(tmp_path), ["a.nii.gz", "b.nii.gz"]).startswith("batch of 2 cases (")


def test_the_report_line_counts_one_lesion_and_one_failed_case(tmp_path, capsys):
    report = tmp_path / "report.csv"
    segment._write_report(str(report), [["a", *[""] * 8, "found"], ["b", *[""] * 8, "failed"]])
    assert capsys.readouterr().out.strip() == f"{report}  (1 lesion; 1 case failed)"
    segment._write_report(str(report), [["a", *[""] * 8, "found"]] * 2)
    assert capsys.readouterr().out.strip() == f"{report}  (2 lesions)"


def test_a_cards_held_out_cases():
    assert [models._cases_text(n) for n in (1, 4, None)] == ["1 case", "4 cases", "? cases"]
