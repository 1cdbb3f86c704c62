"""The worklist cases a training set holds, found by their voxels (dataset/worklist_sent.py), each
image read once while its file stays as it is."""

from __future__ import annotations

import os

import numpy as np

from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from neuroview.dataset.worklist import Worklist
from neuroview.dataset.worklist_sent import IdentityCache, sent_already, upcoming
from neuroview.io import load
from neuroview.io.nifti import save_nifti
from tests.dataset.label_maps import lesion_map


def test_cases_held_are_found_in_order_up_to_the_first_not_held(tmp_path, small_mr):
    cases = tmp_path / "cases"
    cases.mkdir()
    for number, name in enumerate(("a", "b", "c", "d")):
        save_nifti(np.roll(small_mr.array, number, axis=0), small_mr.ijk_to_ras, cases / f"{name}.nii.gz")
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    for name in ("b", "d"):   # as `dataset add` adds them: another copy, the same voxels
        volume = load(cases / f"{name}.nii.gz")
        add_case(dataset, volume, lesion_map(volume), Provenance(annotator="lead"))
    worklist = Worklist.open(cases, user="dr.a")
    worklist.open_case("a.nii.gz")
    cache = IdentityCache()
    assert [c.case_id for c in upcoming(worklist)] == ["b.nii.gz", "c.nii.gz", "d.nii.gz"]
    assert sent_already(dataset, upcoming(worklist), cache) == {"b.nii.gz": "nv_0001"}
    assert cache.reads == 2   # b, then c: not held, the look stops (d is not read)
    assert sent_already(dataset, upcoming(worklist), cache) == {"b.nii.gz": "nv_0001"}
    assert cache.reads == 2   # known by path, size and time

    # b rewritten with other voxels: read again, and no longer the case the set holds
    save_nifti(np.roll(small_mr.array, 9, axis=0), small_mr.ijk_to_ras, cases / "b.nii.gz")
    os.utime(cases / "b.nii.gz", ns=(1, 1))
    assert sent_already(dataset, upcoming(worklist), cache) == {}
    assert cache.reads == 3

    worklist.mark_done("c.nii.gz", done=False)   # c sent back: still offered
    worklist.set_status("c.nii.gz", "in_training_set", "nv_0002")
    worklist.mark_done("c.nii.gz", done=False, note="lesion 3 missed")
    assert [c.case_id for c in upcoming(worklist)] == ["b.nii.gz", "d.nii.gz"]
