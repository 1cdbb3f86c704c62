"""A NIfTI worklist's case is compared and adjudicated from its readers' label files, as a DICOM
series is from its SEGs: each label file saved for the image (named after it, with its
``.segments.json``, beside it or in the folder above, or recorded by a worklist wherever it is) is
a reader, named by the annotator who saved it (the last editing session of its sidecar). Until
session 49 ``compare_readers`` refused every image but DICOM, ``comparing readers needs a DICOM
image``: a team labelling NIfTI cases could not adjudicate them."""

from __future__ import annotations

import time

import numpy as np

from neuroview.app.case import Case
from neuroview.app.label_files import save_label_files
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.io import load
from neuroview.io.nifti import save_nifti

ANNA = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}
BEN = {"annotator": "ben", "session": "0b1c2d3e4f5a6b7c", "editing_seconds": 40.0, "hand_edits": 2}


def _labels(volume: Volume, blocks) -> LabelMap:
    array = np.zeros(volume.shape, np.uint8)
    for block in blocks:
        array[block] = 1
    return LabelMap(array, volume.ijk_to_ras, SegmentTable.from_values([1], {1: "lesion"}))


def test_a_nifti_case_is_adjudicated_from_its_readers_label_files(tmp_path):
    cases, elsewhere = tmp_path / "cases", tmp_path / "ben"
    cases.mkdir()
    elsewhere.mkdir()
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    save_nifti(np.random.default_rng(0).normal(100, 10, (20, 20, 12)).astype(np.float32), affine,
               cases / "a_case.nii.gz")
    save_nifti(np.zeros((20, 20, 12), np.float32), affine, cases / "b_case.nii.gz")
    volume = load(cases / "a_case.nii.gz")
    first, second = np.s_[2:8, 2:8, 2:6], np.s_[12:16, 12:16, 6:10]
    save_label_files(_labels(volume, [first, second]), affine, cases / "a_case-labels.nii.gz", work=[ANNA])
    bens = elsewhere / "mine.nii.gz"   # saved elsewhere, under a name of his own: the worklist says so
    save_label_files(_labels(volume, [np.s_[3:9, 2:8, 2:6]]), affine, bens, work=[ANNA, BEN])
    save_label_files(_labels(volume, [second]), affine, cases / "b_case-labels.nii.gz", work=[BEN])

    comparison = compare_readers(volume, None, "majority", label_files=[str(bens)])
    assert comparison.readers == ["anna", "ben"] and not comparison.problems   # not b_case's labels
    assert [v.description for v in comparison.versions] == ["a_case-labels.nii.gz", "mine.nii.gz"]
    plan = AdjudicationPlan(comparison)
    assert [sorted(g.voxels.items()) for g in plan.groups] == [[("anna", 144), ("ben", 144)],
                                                               [("anna", 64), ("ben", 0)]]
    plan.choose(1, "ben")
    plan.choose(2, "anna")
    case = Case.open(volume, workspace=tmp_path / "ws-sam")
    time.sleep(0.2)   # the lead looks at the outlines before Apply
    apply_adjudication(case, plan, "Sam Senior")
    lesion = case.labels.segments.by_name("lesion").value
    expected = np.zeros(volume.shape, bool)
    expected[3:9, 2:8, 2:6] = expected[second] = True
    assert np.array_equal(case.labels.array == lesion, expected)

    record = case.send_to_training_set(init_dataset(tmp_path, "Lesions", ["background", "lesion"]),
                                       "Sam Senior")
    assert [(p["annotator"], p["editing_seconds"]) for p in record.annotators][:2] == \
        [("anna", 70.0), ("ben", 40.0)]
    assert record.annotator == "Sam Senior" and record.adjudication["adjudicator"] == "Sam Senior"
    assert [r["reader"] for r in record.adjudication["readers"]] == ["anna", "ben"]
    assert "mine" not in str(record.adjudication)   # the files by a digest, never their names
    case.save_labels(cases / "a_case-adjudicated-labels.nii.gz")   # an adjudicated version: no reader
    assert compare_readers(volume, None, "majority", label_files=[str(bens)]).readers == ["anna", "ben"]
    case.close()


def test_a_dicom_cases_segs_saved_in_the_annotators_own_folders_are_readers(tmp_path, mni_volume):
    """A DICOM worklist's annotators saving their SEGs in folders of their own (the worklist
    records each one's: ``labels_of``): those folders are searched too; only the series' folder
    and the one above it were, and the lead found no reader."""
    from tests.app.readers_series import readers_series, save_reader

    volume, headers = readers_series(tmp_path, mni_volume)
    saved = []
    for reader, shift in (("Smith^Ann", 0), ("Jones^Bob", 2)):
        mask = np.zeros(volume.shape, np.uint8)
        mask[4 + shift:12 + shift, 4:12, 3:8] = 1
        folder = tmp_path / reader[:3]
        folder.mkdir()
        save_reader(volume, headers, mask, folder / "mine-seg.dcm", reader)
        saved.append(str(folder / "mine-seg.dcm"))
    assert compare_readers(volume, None, "majority").readers == []
    assert compare_readers(volume, None, "majority", label_files=saved).readers == ["Smith^Ann", "Jones^Bob"]
