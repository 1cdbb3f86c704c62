"""An adjudicated case after a crash, and its DICOM SEG.

Killed (SIGKILL) after the readers' outlines were applied over a model's lesion, then a voxel of
it erased: *Restore* shows the lesion's *From* cell and tooltip as the killed process showed them
(``adjudicated + drawn``, "adjudicated by Sam Senior (was tiny@1.0)"); the mark was kept in memory
only until session 37, so a restore showed ``tiny@1.0 + drawn`` again. A SEG saved after the
adjudication says SegmentAlgorithmType MANUAL, with no algorithm, for the lesion (PS3.3 C.8.20.4:
MANUAL is a "user-entered segment", AUTOMATIC a "calculated segment"): it said AUTOMATIC and
named the model until session 37, when the adjudicator accepted a model's lesion untouched; the
window's *Save labels as DICOM SEG* and *Save to PACS* named it the proposing model too
(``Case.proposing_model``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pydicom
import pytest

from neuroview.app.adjudication_record import applied_tokens, keep_plan, plan_file
from neuroview.app.case import Case
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import list_cases
from neuroview.io import load
from neuroview.io.seg import load_seg
from tests.app.readers_series import ann_and_bob
from tests.durability import killed_after


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    """A series and two readers' SEGs beside it: Ann's lesion, and Bob's, shifted 2 voxels."""
    return ann_and_bob(tmp_path_factory.mktemp("adjudicated"), mni_volume)


def adjudicate(folder, workspace, shown_file, dataset, saved_labels=None) -> None:
    """A model's lesion, the readers' outlines applied over it (``saved_labels``: then saved
    there, which compacts the journal), a voxel of it erased by hand; the lesion's *From* cell and
    tooltip after the Apply and after the erasure, as the window shows them, to ``shown_file``;
    then the case added to the training set ``dataset``, as the unkilled window would."""
    volume = load(folder)
    comparison = compare_readers(volume, None, "majority")
    case = Case.open(volume, workspace=workspace)
    case.apply_model_result(comparison.masks["Smith^Ann"].astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    plan = AdjudicationPlan(comparison)
    plan.choose(1, "Jones^Bob")
    apply_adjudication(case, plan, "Senior^Sam")
    session = case.session
    value = session.labels.segments.by_name("lesion").value
    shown = {"applied": list(session.segments.source_cell(value))}
    if saved_labels is not None:
        session.save_labels(saved_labels)
    corner = np.argwhere(session.labels.array == value)[0]
    session.apply("erase", at_ras=(volume.ijk_to_ras @ np.append(corner, 1.0))[:3], radius_mm=1.0,
                  mode="2d", segment=value)
    shown["erased"] = list(session.segments.source_cell(value))
    case.send_to_training_set(dataset)
    Path(shown_file).write_text(json.dumps(shown))


@pytest.mark.parametrize("saved", [False, True], ids=["unsaved", "saved-after-apply"])
def test_a_restore_after_a_kill_shows_the_lesion_adjudicated(readers, tmp_path, saved):
    """``saved``: the labels saved after the Apply, which compacts the journal (the Apply's step
    leaves it: the mark is kept with the base)."""
    folder, volume, _ann, bob = readers
    dataset = init_dataset(tmp_path, "Adjudicated", ["background", "lesion"])
    killed_after(adjudicate, folder, tmp_path / "ws", tmp_path / "shown.json", dataset,
                 *([tmp_path / "labels.nii.gz"] if saved else []))
    shown = json.loads((tmp_path / "shown.json").read_text())
    assert shown == {"applied": ["adjudicated", "adjudicated by Sam Senior (was tiny@1.0)"],
                     "erased": ["adjudicated + drawn", "adjudicated by Sam Senior (was tiny@1.0)"]}
    case = Case.open(volume, tmp_path / "ws", restore=True)
    session = case.session
    lesion = session.labels.segments.by_name("lesion")
    assert 0 < (bob & (session.labels.array != lesion.value)).sum() < 10   # the erased voxels
    assert list(session.segments.source_cell(lesion.value)) == shown["erased"]
    # Add to training set: adjudicated by Sam Senior from Ann's and Bob's outlines, Bob's taken,
    # as the killed window sent it (the restored case went as drawn: no adjudication record); the
    # same training set, so that the readers' SEGs have the same pseudonyms (its case replaced)
    (sent,) = list_cases(dataset)
    assert case.send_to_training_set(dataset).replaced
    (resent,) = list_cases(dataset)
    assert sent.adjudication["adjudicator"] == "Sam Senior" and sent.annotator == "Sam Senior"
    assert sorted(r["reader"] for r in sent.adjudication["readers"]) == ["Jones^Bob", "Smith^Ann"]
    assert [lesion["taken_from"] for lesion in sent.adjudication["lesions"]] == ["Jones^Bob"]
    assert (resent.adjudication, resent.annotator, resent.segments) == \
        (sent.adjudication, sent.annotator, sent.segments)
    assert [(s.source, s.hand_edited) for s in resent.segments] == [("adjudicated", True)]
    session.undo()   # the erasure
    assert np.array_equal(session.labels.array == lesion.value, bob)
    assert list(session.segments.source_cell(lesion.value)) == shown["applied"]
    if saved:   # the history starts at the save: the Apply stands
        assert session.undo() is None
    else:
        session.undo()   # the Apply: the model's lesion, as it was
        assert session.segments.source_parts(lesion.value) == ("", "tiny@1.0", "")
    case.close()


def _segment_made(path, number=1):
    item = pydicom.dcmread(path, stop_before_pixels=True).SegmentSequence[number - 1]
    algorithm = item.get("SegmentationAlgorithmIdentificationSequence")
    return (str(item.SegmentAlgorithmType), str(item.get("SegmentAlgorithmName", "")),
            str(algorithm[0].AlgorithmName) if algorithm else "")


def _equipment(path):
    """The ManufacturerModelName of each contributing equipment that has one."""
    found = pydicom.dcmread(path, stop_before_pixels=True).get("ContributingEquipmentSequence", [])
    return [str(e.ManufacturerModelName) for e in found if "ManufacturerModelName" in e]


def test_an_untouched_model_lesion_adjudicated_is_saved_as_manual(readers, tmp_path):
    """The adjudicator keeps the model's lesion as it is (Ann's outline, which the model gave):
    the voxels do not change, the SEG's maker does."""
    folder, volume, ann, _bob = readers
    case = Case.open(volume, tmp_path / "ws")
    case.apply_model_result(ann.astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    case.save_seg(tmp_path / "model.dcm", model=case.proposing_model())
    assert _segment_made(tmp_path / "model.dcm") == ("AUTOMATIC", "tiny", "tiny")
    assert _equipment(tmp_path / "model.dcm") == ["tiny"]
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    plan.choose(1, "Smith^Ann")
    apply_adjudication(case, plan, "Senior^Sam")
    lesion = case.labels.segments.by_name("lesion")
    assert np.array_equal(case.labels.array == lesion.value, ann)   # no voxel changed
    assert case.proposing_model() == ""   # Save labels as DICOM SEG names no proposing model
    case.save_seg(tmp_path / "adjudicated.dcm", model=case.proposing_model())
    assert _segment_made(tmp_path / "adjudicated.dcm") == ("MANUAL", "", "")
    assert _equipment(tmp_path / "adjudicated.dcm") == ["highdicom"]   # the library's, no model
    back = load_seg(tmp_path / "adjudicated.dcm", volume=volume)
    (read,) = [s for s in back.segments if s.name == "lesion"]
    assert (read.origin, read.model) == ("human", "")
    assert np.array_equal(back.array > 0, ann)
    case.session.undo()   # the Apply taken back: the model's again
    assert case.proposing_model() == "tiny@1.0"
    case.save_seg(tmp_path / "undone.dcm")
    assert _segment_made(tmp_path / "undone.dcm") == ("AUTOMATIC", "tiny", "tiny")
    case.close()


def test_only_the_applys_own_plan_is_restored(readers, tmp_path):
    """The plan kept beside the journal counts for the Apply whose step names it: one an Apply
    wrote before a kill cut it off (its step never journaled), or a damaged file, is no record."""
    _folder, volume, _ann, bob = readers
    case = Case.open(volume, tmp_path / "ws")
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    plan.choose(1, "Jones^Bob")
    apply_adjudication(case, plan, "Senior^Sam")
    case.close()
    restored = Case.open(volume, tmp_path / "ws")
    assert restored.adjudication.provenance(bob) == plan.provenance(bob)
    # the lesion segment the Apply made is its step's: a restore gave its voxels no segment
    lesion = restored.labels.segments.by_name("lesion")
    assert np.array_equal(restored.labels.array == lesion.value, bob)
    restored.close()
    other = AdjudicationPlan(plan.comparison)
    other.choose(1, "Smith^Ann")
    stray = keep_plan(tmp_path / "ws", other.record(other.adjudicate("Doe^Jane")), plan.result.mask,
                      plan.groups, 1)   # written, its Apply cut off by a kill: no step names it
    restored = Case.open(volume, tmp_path / "ws")
    assert restored.adjudication.provenance(bob) == plan.provenance(bob)
    ((_step, token, _undone),) = applied_tokens(restored.session)
    assert token != stray
    restored.close()
    kept = plan_file(tmp_path / "ws", token)
    for damaged in (b"", b"PK\x03\x04 not a plan"):
        kept.write_bytes(damaged)
        restored = Case.open(volume, tmp_path / "ws")
        assert restored.adjudication is None and restored.session.adjudicated is not None
        restored.close()
    kept.unlink()
    os.mkfifo(kept)   # no plan: the open does not wait on it
    restored = Case.open(volume, tmp_path / "ws")
    assert restored.adjudication is None
    restored.close()
