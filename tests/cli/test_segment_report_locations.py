"""``segment --report``: each lesion's location in the CSV, each label's count per location on
stdout (the model stood in for by one that returns the placed lesions and the head's brain)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

pytest.importorskip("nilearn")


def test_report_gives_each_lesion_its_location(capsys, tmp_path, monkeypatch):
    import neuroview.ai.segment as segment_module
    from neuroview.ai.api import LabelInfo, SegmentationResult
    from neuroview.cli.main import main
    from neuroview.io.nifti import save_nifti
    from tests.app.located_heads import located_head

    head = located_head("flair")

    def segment(volume, *args, **kwargs):
        return SegmentationResult(head.labels.copy(), volume.ijk_to_ras,
                                  [LabelInfo(1, "lesion", (255, 64, 0))], "fake@1.0", "cpu",
                                  brain_mask=head.brain.copy())

    monkeypatch.setattr(segment_module, "segment", segment)
    save_nifti(head.image, head.ijk_to_ras, tmp_path / "head.nii.gz")
    report = tmp_path / "lesions.csv"
    code = main(["segment", str(tmp_path / "head.nii.gz"), "-o", str(tmp_path / "m.nii.gz"),
                 "--report", str(report)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "  lesion: periventricular 1, juxtacortical 1, infratentorial 2, deep white matter 1\n" in out
    with open(report, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[-2:] == ["location", "status"]
    for row in rows:
        centroid = np.array([float(row[f"centroid_{axis}_mm"]) for axis in "ras"])
        nearest = min(head.expected, key=lambda place: np.linalg.norm(place[1] - centroid))
        assert row["location"] == nearest[0]


def test_no_brain_mask_says_unknown_and_why(capsys, tmp_path, monkeypatch):
    """A model without brain extraction: every lesion's location unknown, the reason in its cell."""
    import neuroview.ai.segment as segment_module
    from neuroview.ai.api import LabelInfo, SegmentationResult
    from neuroview.cli.main import main
    from neuroview.io.nifti import save_nifti

    def segment(volume, *args, **kwargs):
        labels = np.zeros(volume.shape, np.uint8)
        labels[4:7, 4:7, 4:7] = 1
        return SegmentationResult(labels, volume.ijk_to_ras, [LabelInfo(1, "lesion", (255, 64, 0))],
                                  "fake@1.0", "cpu")

    monkeypatch.setattr(segment_module, "segment", segment)
    save_nifti(np.full((12, 12, 12), 1, np.float32), np.eye(4), tmp_path / "case.nii.gz")
    report = tmp_path / "lesions.csv"
    assert main(["segment", str(tmp_path / "case.nii.gz"), "-o", str(tmp_path / "m.nii.gz"),
                 "--report", str(report)]) == 0
    out = capsys.readouterr().out
    with open(report, newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["location"] == ("unknown (no brain mask: AI > Segment with a model that extracts "
                               "the brain makes one)")
    assert "  lesion: unknown 1 (no brain mask: " in out
