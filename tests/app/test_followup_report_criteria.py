"""The follow-up report states the rule its statuses follow: with `--min-change-pct 80` (or the
window's box at 80 %), a lesion that grew by about 60 % is `stable`, and the report used to show
`+60 %, stable` with no word of the 80 % a reader needs to read it."""

from __future__ import annotations

import re

import numpy as np

from neuroview.app.followup import StudyInput, compare
from neuroview.app.followup_lesions import MatchThresholds
from neuroview.app.followup_report import ReportInfo, summary_page
from neuroview.io.nifti import save_nifti
from tests.app.followup_cases import balls, grid, sample

CENTRE = (20.0, -10.0, 20.0)


def _studies(mni_volume, tmp_path):
    shape, affine = grid(mni_volume, (3.0, 3.0, 3.0))
    image = sample(mni_volume, shape, affine)
    for name, radius in (("t1", 7.0), ("t2", 8.2)):   # about 60 % more volume
        save_nifti(image, affine, tmp_path / f"{name}.nii.gz")
        save_nifti(balls(shape, affine, [CENTRE], [radius]), affine, tmp_path / f"{name}_lesions.nii.gz")
    return image, affine


def test_the_report_says_what_enlarging_means(mni_volume, tmp_path, cli):
    _studies(mni_volume, tmp_path)
    out = tmp_path / "report"
    result = cli("followup", tmp_path / "t1.nii.gz", tmp_path / "t2.nii.gz",
                 "--labels-baseline", tmp_path / "t1_lesions.nii.gz",
                 "--labels", tmp_path / "t2_lesions.nii.gz", "--no-brain-extraction",
                 "--min-change-pct", "80", "--min-change-ml", "0.2", "--out", out)
    assert result.returncode == 0, result.stderr

    row = (out / "lesions_tp2.csv").read_text().splitlines()[1].split(",")
    assert row[1] == "stable" and 40 < float(row[6]) < 80
    text = re.sub(r"<[^>]+>", "", (out / "report.html").read_text())
    assert ("Enlarging or shrinking: the volume changed by at least 80 % of the baseline volume "
            "and 0.2 mL; stable otherwise.") in text


def test_the_pdf_summary_says_it_too(mni_volume, tmp_path):
    image, affine = _studies(mni_volume, tmp_path)
    lesions = [balls(image.shape, affine, [CENTRE], [r]) for r in (7.0, 8.2)]
    comparison = compare(*(StudyInput(image, affine, mask) for mask in lesions),
                         thresholds=MatchThresholds(80.0, 0.2))

    figure = summary_page([comparison], ["baseline", "follow-up 1"], ReportInfo())

    text = " ".join(t.get_text() for t in figure.texts).replace("\n", " ")
    text = re.sub(r"\s+", " ", text)
    assert "follow-up 1: 0 new, 0 enlarging, 1 stable" in text
    assert ("Enlarging or shrinking: the volume changed by at least 80 % of the baseline volume "
            "and 0.2 mL; stable otherwise.") in text
    assert np.count_nonzero(lesions[1]) > 1.4 * np.count_nonzero(lesions[0])
