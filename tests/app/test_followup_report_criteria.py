"""The follow-up report states the rule its statuses follow: with `--min-change-pct 80` (or the
window's box at 80 %), a lesion that grew by about 60 % is `stable`, and the report used to show
`+60 %, stable` with no word of the 80 % a reader needs to read it. One command, its HTML report
and its PDF's summary page read back."""

from __future__ import annotations

import re

import numpy as np
import pytest

from neuroview.io.nifti import load_nifti, save_nifti
from tests.app.followup_cases import balls, grid, sample
from tests.checkout import run_cli

CENTRE = (20.0, -10.0, 20.0)
CRITERIA = ("Enlarging or shrinking: the volume changed by at least 80 % of the baseline volume "
            "and 0.2 mL; stable otherwise.")


@pytest.fixture(scope="module")
def report(mni_volume, tmp_path_factory):
    """``neuroview followup`` with an 80 % / 0.2 mL rule on one 3 mm head whose lesion grew from
    7 to 8.2 mm radius (about 60 % more volume): the inputs' folder and the command's result."""
    folder = tmp_path_factory.mktemp("criteria")
    shape, affine = grid(mni_volume, (3.0, 3.0, 3.0))
    image = sample(mni_volume, shape, affine)
    for name, radius in (("t1", 7.0), ("t2", 8.2)):
        save_nifti(image, affine, folder / f"{name}.nii.gz")
        save_nifti(balls(shape, affine, [CENTRE], [radius]), affine, folder / f"{name}_lesions.nii.gz")
    result = run_cli("followup", folder / "t1.nii.gz", folder / "t2.nii.gz",
                     "--labels-baseline", folder / "t1_lesions.nii.gz",
                     "--labels", folder / "t2_lesions.nii.gz", "--no-brain-extraction",
                     "--min-change-pct", "80", "--min-change-ml", "0.2", "--out", folder / "report")
    return folder, result


def test_the_report_says_what_enlarging_means(report):
    folder, result = report
    assert result.returncode == 0, result.stderr
    out = folder / "report"
    row = (out / "lesions_tp2.csv").read_text().splitlines()[1].split(",")
    assert row[1] == "stable" and 40 < float(row[6]) < 80
    text = re.sub(r"<[^>]+>", "", (out / "report.html").read_text())
    assert CRITERIA in text


def test_the_pdf_summary_says_it_too(report):
    """The PDF's first page (``summary_page``, as the window's report writes it too)."""
    from pypdf import PdfReader

    folder, result = report
    assert result.returncode == 0, result.stderr
    text = re.sub(r"\s+", " ", PdfReader(folder / "report" / "report.pdf").pages[0].extract_text())
    assert "follow-up 1: 0 new, 0 enlarging, 1 stable" in text
    assert CRITERIA in text
    lesions = [load_nifti(folder / f"{name}_lesions.nii.gz").array for name in ("t1", "t2")]
    assert np.count_nonzero(lesions[1]) > 1.4 * np.count_nonzero(lesions[0])
