"""Two *Apply to label map*s of the readers' dialog, then a kill (SIGKILL): *Restore* gives back
each Apply's record, so Ctrl+Z of the second leaves the first one's (who adjudicated, the outline
taken) on the case, and its lesion reads ``adjudicated`` in the *From* column. Until session 39
each Apply wrote ``adjudication.npz`` over the one before: after the restore and Ctrl+Z the first
Apply's voxels went to the training set as drawn. A segment an earlier Apply filled keeps its
*From* when a later Apply fills another (it read ``drawn``: only the latest Apply counted)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.readers import compare_readers
from tests.app.readers_series import ann_and_bob, apply_outline, modelled_case
from tests.durability import killed_after

SAM = ["adjudicated", "adjudicated by Sam Senior (was tiny@1.0)"]


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    return ann_and_bob(tmp_path_factory.mktemp("adjudications_kept"), mni_volume)


def two_applies(folder, workspace, saved_labels, shown_file) -> None:
    """A model's lesion (Ann's outline), Bob's outline applied by Sam Senior (``saved_labels``:
    then saved, which compacts the journal), Ann's by Jane Doe; the From cell after the first
    Apply, as the window shows it, to ``shown_file``."""
    case, comparison = modelled_case(folder, workspace)
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    value = case.labels.segments.by_name("lesion").value
    Path(shown_file).write_text(json.dumps(list(case.session.segments.source_cell(value))))
    if saved_labels is not None:
        case.session.save_labels(saved_labels)
    apply_outline(case, comparison, "Smith^Ann", "Doe^Jane")


@pytest.mark.parametrize("saved", [False, True], ids=["unsaved", "saved-between"])
def test_undoing_the_later_apply_after_a_restore_brings_back_the_earlier(readers, tmp_path, saved):
    folder, volume, ann, bob = readers
    killed_after(two_applies, folder, tmp_path / "ws", tmp_path / "labels.nii.gz" if saved else None,
                 tmp_path / "shown.json")
    assert json.loads((tmp_path / "shown.json").read_text()) == SAM
    case = Case.open(volume, tmp_path / "ws", restore=True)
    lesion = case.labels.segments.by_name("lesion").value
    assert np.array_equal(case.labels.array == lesion, ann)
    assert case.adjudication.provenance()["adjudicator"] == "Jane Doe"
    assert list(case.session.segments.source_cell(lesion)) == [
        "adjudicated", "adjudicated by Jane Doe (was adjudicated by Sam Senior)"]
    case.session.undo()   # Jane's Apply: Bob's outline as Sam applied it, and its record
    assert np.array_equal(case.labels.array == lesion, bob)
    record = case.adjudication.provenance(bob)
    assert record["adjudicator"] == "Sam Senior"
    assert [(x["taken_from"], x["edited_voxels"]) for x in record["lesions"]] == [("Jones^Bob", 0)]
    assert list(case.session.segments.source_cell(lesion)) == SAM
    case.session.redo()
    assert case.adjudication.provenance()["adjudicator"] == "Jane Doe"
    case.close()


def test_each_segment_reads_its_own_apply(readers, tmp_path):
    """Sam's lesion renamed and locked, then Jane's Apply fills a new ``lesion`` segment: both
    read ``adjudicated``, each by its own adjudicator, also after a restore."""
    folder, volume, ann, bob = readers
    comparison = compare_readers(volume, None, "majority")
    case = Case.open(volume, tmp_path / "ws")
    case.apply_model_result(comparison.masks["Smith^Ann"].astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    first = case.labels.segments.by_name("lesion").value
    case.session.segments.rename(first, "lesion (Sam)")
    case.session.segments.lock(first)
    apply_outline(case, comparison, "Smith^Ann", "Doe^Jane")
    second = case.labels.segments.by_name("lesion").value
    assert second != first and (case.labels.array == first).any()
    for session in (case.session, None):
        if session is None:   # the same after a restore
            case.close()
            case = Case.open(volume, tmp_path / "ws", restore=True)
            session = case.session
        assert session.segments.source_cell(first) == tuple(SAM)
        assert session.segments.source_cell(second)[0] == "adjudicated"
        assert session.segments.source_cell(second)[1].startswith("adjudicated by Jane Doe")
    case.close()


def test_a_compaction_deletes_the_plans_no_step_names(readers, tmp_path):
    """Plans of Applies the history forgot go with the next compaction (Save labels); the one in
    force stays."""
    folder, volume, ann, _bob = readers
    comparison = compare_readers(volume, None, "majority")
    case = Case.open(volume, tmp_path / "ws")
    case.apply_model_result(comparison.masks["Smith^Ann"].astype(np.uint8), {1: "lesion"}, "tiny@1.0")
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    apply_outline(case, comparison, "Smith^Ann", "Doe^Jane")
    plans = lambda: sorted((tmp_path / "ws").glob("adjudication-*.npz"))   # noqa: E731
    assert len(plans()) == 2
    case.session.undo()
    case.session.segments.add("other")   # a new step: Jane's Apply is forgotten
    case.session.save_labels(tmp_path / "labels.nii.gz")
    (kept,) = plans()
    case.close()
    restored = Case.open(volume, tmp_path / "ws", restore=True)
    assert restored.adjudication.provenance()["adjudicator"] == "Sam Senior"
    assert restored.adjudication.result.adjudicator == "Senior^Sam"   # the SEG's ContentCreatorName
    restored.session.undo()   # the history starts at the save: Sam's Apply is its base's
    assert restored.adjudication is not None and plans() == [kept]
    restored.close()


def test_session_38s_one_plan_file_is_renamed_then_deleted_by_a_save(readers, tmp_path):
    """A workspace of session 38 keeps its one plan as ``adjudication.npz``: read while an Apply
    names its token, given that token's name at the next save (it was read, never deleted); one
    no Apply needs (its token's own file is there) is deleted at the next save."""
    _folder, volume, _ann, _bob = readers
    comparison = compare_readers(volume, None, "majority")
    workspace = tmp_path / "ws"
    case = Case.open(volume, workspace)
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    case.close()
    (plan,) = workspace.glob("adjudication-*.npz")
    plan.rename(workspace / "adjudication.npz")   # as session 38 named it
    case = Case.open(volume, workspace, restore=True)
    assert case.adjudication.provenance()["adjudicator"] == "Sam Senior"
    case.session.save_labels(tmp_path / "labels.nii.gz")
    assert sorted(p.name for p in workspace.glob("adjudication*.npz")) == [plan.name]
    case.close()
    case = Case.open(volume, workspace, restore=True)
    assert case.adjudication.provenance()["adjudicator"] == "Sam Senior"
    (workspace / "adjudication.npz").write_bytes(plan.read_bytes())   # a second copy: stray now
    case.session.save_labels(tmp_path / "labels.nii.gz")
    assert sorted(p.name for p in workspace.glob("adjudication*.npz")) == [plan.name]
    assert case.adjudication.provenance()["adjudicator"] == "Sam Senior"
    case.close()
