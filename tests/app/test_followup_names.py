"""The report names each DICOM study by its number and what tells it apart, the series
description, as the follow-up window does (``app/followup_names``): it said "follow-up 1" alone.
Never the patient's name, the study date, nor the file name."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io" / "dicom"))

from series_maker import SeriesSpec, write_series  # noqa: E402

from neuroview.io import load  # noqa: E402
from neuroview.io.nifti import save_nifti  # noqa: E402

STUDIES = {"doe_jane_2025": ("20250911", "T2 FLAIR 3D"), "doe_jane_2026": ("20260302", "FLAIR sag")}


def test_the_report_names_dicom_studies_by_description_and_no_date(tmp_path, mni_volume):
    from neuroview.cli.main import main

    paths = []
    for name, (day, description) in STUDIES.items():
        series = write_series(tmp_path / name, mni_volume, SeriesSpec(
            rows=24, cols=20, n_slices=12, row_spacing=6.0, col_spacing=6.0, slice_step=8.0,
            description=description, extra=(("PatientName", "Doe^Jane"), ("StudyDate", day))))
        volume = load(series.folder)
        save_nifti(np.zeros(volume.shape, np.uint8), volume.ijk_to_ras, tmp_path / f"{name}_lesions.nii.gz")
        paths.append(tmp_path / name)
    out = tmp_path / "out"
    assert main(["followup", str(paths[0]), str(paths[1]),
                 "--labels-baseline", str(tmp_path / "doe_jane_2025_lesions.nii.gz"),
                 "--labels", str(tmp_path / "doe_jane_2026_lesions.nii.gz"), "--no-brain-extraction",
                 "--out", str(out)]) == 0
    html = (out / "report.html").read_text()
    assert "<td>baseline (T2 FLAIR 3D)</td>" in html
    assert "<td>follow-up 1 (FLAIR sag)</td>" in html
    assert ("<h2>baseline (T2 FLAIR 3D) &rarr; follow-up 1 (FLAIR sag)</h2>"
            in html)
    text = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", html)   # a picture's bytes may spell "Doe"
    assert "Doe" not in text and "doe_jane" not in text and "Jane" not in text
    for day, _ in STUDIES.values():
        assert day not in text and f"{day[:4]}-{day[4:6]}-{day[6:]}" not in text
