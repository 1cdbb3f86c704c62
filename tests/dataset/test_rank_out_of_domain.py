"""``dataset rank`` with a head model given a knee MR (BodyPartExamined KNEE) among its cases:
the model ran on it and ranked the knee among the heads as if the annotators should label it
next. Now the case is left out in a ``NAME: ..., not ranked`` line, as ``segment`` refuses it
(the card's ``domain``), and the others are ranked."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pytest

from neuroview.dataset.layout import init_dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402

pytest.importorskip("torch")
CLI_FORKED = "what rank says about its cases and writes; the test needs no fresh process"


def test_a_knee_is_not_ranked_by_a_head_model(tmp_path, cli):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from tests.ai.model_cards import make_card

    card = make_card(domain={"body_parts": ["HEAD"]})
    package = save_package(tmp_path / "tiny", card,
                           build_network(card.architecture, card.hyperparameters).state_dict())
    pool = tmp_path / "pool"
    pool.mkdir()
    nib.save(nib.Nifti1Image(np.random.default_rng(0).random((24, 24, 24)).astype(np.float32),
                             np.diag([2.0, 2, 2, 1])), pool / "a_head.nii.gz")
    write_ct(pool / "b_knee", modality="MR", body_part="KNEE", size=24, spacing=2.0, n_slices=12)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", pool, "--model", package, "--flips", "none",
                 "--device", "cpu", "--output", tmp_path / "next.csv", "--json", tmp_path / "next.json")

    assert result.returncode == 0, result.stderr
    import json  # the same refusal as a result a program reads (the Rank dialog does)

    found = json.loads((tmp_path / "next.json").read_text())
    assert [r["id"] for r in found["ranked"]] == ["a_head.nii.gz"]
    assert found["refused"] == [{"id": "b_knee", "path": str(pool / "b_knee"),
                                 "reason": "tiny@1.0.0 is made for head; this series is a knee MR "
                                           "(BodyPartExamined KNEE): not run on it",
                                 "way_on": "--allow-domain-mismatch ranks it anyway"}]
    notes = [line for line in result.stderr.splitlines() if line.endswith(", not ranked")]
    assert notes == [f"note: {pool / 'b_knee'}: tiny@1.0.0 is made for head; this series is a knee "
                     "MR (BodyPartExamined KNEE): not run on it (--allow-domain-mismatch ranks it "
                     "anyway), not ranked"], result.stderr
    with open(tmp_path / "next.csv", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["a_head.nii.gz"]

    # the way on (a head its scanner tagged KNEE): ranked, and said so
    result = cli("dataset", "rank", folder, "--cases", pool, "--model", package, "--flips", "none",
                 "--device", "cpu", "--output", tmp_path / "next.csv", "--allow-domain-mismatch")
    assert result.returncode == 0, result.stderr
    assert f"note: {pool / 'b_knee'}: ranked anyway: tiny@1.0.0 is made for head; this series is a " \
           "knee MR (BodyPartExamined KNEE)" in result.stderr.splitlines(), result.stderr
    with open(tmp_path / "next.csv", newline="") as handle:
        assert sorted(row["id"] for row in csv.DictReader(handle)) == ["a_head.nii.gz", "b_knee"]


def test_a_refusal_after_brain_extraction_leaves_that_case_out():
    """An untagged knee is refused only once its brain extraction found no head, in the middle of
    scoring: that stopped the whole ranking. Now that case alone is left out, named."""
    from neuroview.core.errors import OutsideDomainError
    from neuroview.core.volume import Volume
    from neuroview.dataset.rank import rank_cases

    images = {"head": Volume(np.zeros((4, 4, 4), np.float32), np.eye(4)),
              "knee": Volume(np.ones((4, 4, 4), np.float32), np.eye(4))}

    def probabilities(volume, flips):
        if volume.array.any():
            raise OutsideDomainError("m@1 is made for head MR; this image does not look like a head "
                                     "(...): not run on it")
        yield np.full(volume.shape, 0.5, np.float32)

    ranking = rank_cases([("head", "head"), ("knee", "knee")], probabilities, images.__getitem__, [()])
    assert [r.case_id for r in ranking.ranked] == ["head"]
    from neuroview.dataset.rank import RefusedCase

    assert ranking.unreadable == []   # a refusal, with its reason, apart from the unreadable
    assert ranking.refused == [RefusedCase("knee", "knee", "m@1 is made for head MR; this image does "
                                           "not look like a head (...): not run on it")]
