"""The held-out split of ``neuroview train`` (and ``models compare/promote --dataset``) keeps each
patient's cases together: a case is held out with every case of its subject (the provenance's
pseudonym). In the loop's walk of 7 Dec 2026 (session 50) the split went by case name alone, so a
patient's follow-up scan sat in training while the baseline was held out, and the held-out Dice
measured a model on the patient it had learned from: the leak ``splits_final.json`` avoids for
nnU-Net. With one case per patient the split is the one by name, as before (split ids on cards
still compare)."""

from __future__ import annotations

import json

import numpy as np

from neuroview.ai.finetune import DatasetCase, RawDataset, split


def _dataset(tmp_path, subjects: dict[str, str]) -> RawDataset:
    """A dataset of cases ``nv_0001``... whose provenance names the subjects given; no images are
    read by the split."""
    (tmp_path / "provenance").mkdir()
    for name, subject in subjects.items():
        (tmp_path / "provenance" / f"{name}.json").write_text(json.dumps({"case": name, "subject": subject}))
    cases = [DatasetCase(name, [tmp_path / f"{name}_0000.nii.gz"], tmp_path / f"{name}.nii.gz")
             for name in subjects]
    return RawDataset(tmp_path, ["T1"], [], cases, ".nii.gz")


def test_a_patients_cases_sit_on_one_side(tmp_path):
    names = [f"nv_{n:04d}" for n in range(1, 11)]
    (tmp_path / "a").mkdir()
    _, held_alone, split_alone = split(_dataset(tmp_path / "a", {n: f"sub_{i}" for i, n in enumerate(names)}))
    # the same ten cases, each held-out case's patient also scanned in one training case
    first = held_alone[0].name
    partner = next(n for n in names if n not in {c.name for c in held_alone})
    subjects = {n: f"sub_{i}" for i, n in enumerate(names)}
    subjects[partner] = subjects[first]
    (tmp_path / "b").mkdir()
    train, held, split_id = split(_dataset(tmp_path / "b", subjects))
    held_names, train_names = {c.name for c in held}, {c.name for c in train}
    assert {first, partner} <= held_names, (held_names, first, partner)
    assert not held_names & train_names and len(held_names | train_names) == 10
    held_subjects = {subjects[n] for n in held_names}
    assert not any(subjects[n] in held_subjects for n in train_names)
    assert split_id != split_alone


def test_one_case_per_patient_splits_by_name_as_before(tmp_path):
    names = [f"nv_{n:04d}" for n in range(1, 9)]
    _, held, split_id = split(_dataset(tmp_path, {n: f"sub_{n}" for n in names}))
    # the cases of the walk's dataset and the split id its card recorded before this change
    assert [c.name for c in held] == ["nv_0003", "nv_0005"] and split_id == "4d77e5ecf22d0166"


def test_every_case_one_patient_still_holds_one_out(tmp_path):
    """A dataset of one patient's scans cannot be split by patient: one case is held out, as
    before (and the card says 1 held-out case is too few)."""
    names = [f"nv_{n:04d}" for n in range(1, 5)]
    train, held, _ = split(_dataset(tmp_path, {n: "sub_0001" for n in names}))
    assert len(held) == 1 and len(train) == 3
    assert np.isin([c.name for c in held], names).all()
