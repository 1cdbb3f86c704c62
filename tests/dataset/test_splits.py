"""Folds keep every patient's cases on one side."""

from __future__ import annotations

import json

from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.splits import subject_folds, write_splits
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map


def test_cases_of_one_patient_stay_in_one_fold(tmp_path, small_mr):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    patients = ["P1", "P2", "P1", "P3", "P4", "P2", "P5", "P6"]
    for scan, patient in enumerate(patients):   # eight scans (the same one would be one case)
        volume = Volume(small_mr.array + scan, small_mr.ijk_to_ras, source_metadata={"PatientID": patient})
        add_case(folder, volume, lesion_map(small_mr), links_path=tmp_path / "links.json")
    folds = subject_folds(folder, n_folds=3)
    assert len(folds) == 3
    everything = {f"nv_{i:04d}" for i in range(1, 9)}
    same_patient = [{"nv_0001", "nv_0003"}, {"nv_0002", "nv_0006"}]
    for fold in folds:
        assert set(fold["train"]) | set(fold["val"]) == everything
        assert not set(fold["train"]) & set(fold["val"])
        for pair in same_patient:
            assert pair <= set(fold["train"]) or pair <= set(fold["val"])
    assert sorted(c for f in folds for c in f["val"]) == sorted(everything)  # each case validated once
    path = write_splits(folder, n_folds=3)
    assert json.loads(path.read_text()) == folds
    links = json.loads((tmp_path / "links.json").read_text())
    assert links["cases"]["nv_0003"]["subject"] == links["cases"]["nv_0001"]["subject"] == "sub_0001"


def test_two_annotators_never_share_a_subject_for_different_patients(tmp_path, small_mr):
    """Two annotators send to one shared dataset, each with the private link file of their own
    account: the second one's first patient got sub_0001 again (numbers came from the link file
    alone), and two patients then made one subject, held in one fold."""
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    for scan, (patient, annotator) in enumerate([("P1", "a"), ("P2", "b"), ("P1", "a"), ("P3", "b")]):
        volume = Volume(small_mr.array + scan, small_mr.ijk_to_ras, source_metadata={"PatientID": patient})
        add_case(folder, volume, lesion_map(small_mr), links_path=tmp_path / f"links-{annotator}.json")
    subjects = [json.loads((folder / "provenance" / f"nv_{i:04d}.json").read_text())["subject"]
                for i in range(1, 5)]
    assert subjects == ["sub_0001", "sub_0002", "sub_0001", "sub_0003"]
    folds = subject_folds(folder, n_folds=3)
    for fold in folds:   # nv_0002 (P2) and nv_0004 (P3) are free to be split apart
        assert {"nv_0001", "nv_0003"} <= set(fold["train"]) or {"nv_0001", "nv_0003"} <= set(fold["val"])
    assert any(("nv_0002" in f["val"]) != ("nv_0004" in f["val"]) for f in folds)
