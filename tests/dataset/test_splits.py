"""Folds keep every patient's cases on one side."""

from __future__ import annotations

import json

from neuroview.core.volume import Volume
from neuroview.dataset.splits import subject_folds, write_splits
from neuroview.dataset.store import add_case, init_dataset
from tests.dataset.conftest import lesion_map


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
