"""The follow-up's brain extraction is not run on a series whose header names another part of
the body: deepbet gave a knee MR tagged KNEE a 554 mL "brain" (AI > Segment's brain extraction
on the same knee), a volume the follow-up would have compared."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

from neuroview.app.followup_brain import extract_brain  # noqa: E402
from neuroview.io import load  # noqa: E402


def test_a_knee_gets_no_brain(tmp_path):
    write_ct(tmp_path / "knee", modality="MR", body_part="KNEE")
    assert extract_brain(load(tmp_path / "knee"), device="cpu") == (
        None, "none (no brain extraction: the series is a knee, BodyPartExamined KNEE)")


def test_an_abdomen_is_said_with_its_article(tmp_path):
    write_ct(tmp_path / "abdomen", modality="MR", body_part="ABDOMEN")
    assert extract_brain(load(tmp_path / "abdomen"), device="cpu")[1] == (
        "none (no brain extraction: the series is an abdomen, BodyPartExamined ABDOMEN)")
