"""``neuroview segment FOLDER`` with a knee MR (BodyPartExamined KNEE) among a head model's cases:
the refusal was counted and reported as a failure ("1 of 2 cases failed", status "failed" in
``--report``), as if the file were damaged. Now it is said apart, as ``dataset rank`` and the
held-out scoring list refused cases: its line, a count of the refused with the way on, and
status "refused"; the head is segmented."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from tests.checkout import main_said

pytest.importorskip("torch")


def test_a_batch_says_the_refused_knee_apart_from_failures(tmp_path, capsys):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from tests.ai.model_cards import make_card

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
    from ct_maker import write_ct

    card = make_card(domain={"body_parts": ["HEAD"]})
    package = save_package(tmp_path / "tiny", card,
                           build_network(card.architecture, card.hyperparameters).state_dict())
    cases = tmp_path / "cases"
    cases.mkdir()
    nib.save(nib.Nifti1Image(np.random.default_rng(0).random((24, 24, 24)).astype(np.float32),
                             np.diag([2.0, 2, 2, 1])), cases / "a_head.nii.gz")
    write_ct(cases / "b_knee", modality="MR", body_part="KNEE", size=24, spacing=2.0, n_slices=12)
    out, report = tmp_path / "masks", tmp_path / "report.csv"

    code, stdout, stderr = main_said(capsys, "segment", cases, "-o", out, "--model", package,
                                     "--device", "cpu", "--report", report)

    assert code == 1, stderr   # a case not segmented: a script sees it
    lines = stderr.splitlines()
    assert (f"neuroview: error: {cases / 'b_knee'}: tiny@1.0.0 is made for head; this series is a knee "
            "MR (BodyPartExamined KNEE): not run on it (--allow-domain-mismatch runs it anyway)") in lines
    assert lines[-1] == ("neuroview: 1 of 2 cases refused by the model's card (the lines above say why; "
                         "--allow-domain-mismatch segments them anyway)"), stderr
    assert not any("failed" in line for line in lines), stderr
    assert (out / "a_head_seg.nii.gz").exists() and not (out / "b_knee_seg.nii.gz").exists()
    with open(report, newline="") as handle:
        status = {row["case"]: row["status"] for row in csv.DictReader(handle)}
    assert status["b_knee"] == "refused" and "failed" not in status.values()
    assert "1 case refused by the model" in stdout
