"""``dataset rank`` with a model given one image far smaller than the model's field of view
(an 8 x 8 x 3 mm toy beside a head): the ranking stopped there, after the model's time on the
cases before it, with an error naming no file and no CSV written. Now the case is left out in a
``FILE: ..., not ranked`` line (the rule ``segment`` refuses such an image by) and the others
are ranked."""

from __future__ import annotations

import csv

import nibabel as nib
import numpy as np
import pytest

from neuroview.dataset.layout import init_dataset

pytest.importorskip("torch")


def test_a_case_too_small_for_the_model_is_left_out_in_a_note(tmp_path, cli):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from tests.ai.model_cards import make_card

    card = make_card()   # a 16^3 patch at 2 mm: a 32 mm field of view
    package = save_package(tmp_path / "tiny", card,
                           build_network(card.architecture, card.hyperparameters).state_dict())
    pool = tmp_path / "pool"
    pool.mkdir()
    rng = np.random.default_rng(0)
    nib.save(nib.Nifti1Image(rng.random((24, 24, 24)).astype(np.float32), np.diag([2.0, 2, 2, 1])),
             pool / "a_head.nii.gz")
    nib.save(nib.Nifti1Image(rng.random((8, 8, 3)).astype(np.float32), np.eye(4)), pool / "b_toy.nii.gz")
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])

    result = cli("dataset", "rank", folder, "--cases", pool, "--model", package, "--flips", "none",
                 "--device", "cpu", "--output", tmp_path / "next.csv")

    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.endswith(", not ranked")]
    assert len(notes) == 1 and notes[0].startswith("note: "), result.stderr
    assert "/b_toy.nii.gz: the image (8 x 8 x 3 mm) is far smaller than the field of view" in notes[0]
    with open(tmp_path / "next.csv", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["a_head.nii.gz"]
