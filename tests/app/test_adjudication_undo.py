"""Ctrl+Z of the readers' *Apply to label map* takes the adjudication record back with it.

Until session 38 the plan stayed on the case after Ctrl+Z: *Add to training set* and the readers'
*Save SEG* called the model's lesion, as it was before the Apply, the adjudicator's version
(readers named, outlines "taken"), and a restore of a journal ending after the undo brought the
record back too. Ctrl+Y applies it again; an earlier Apply's record stands when the later one is
undone."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.case import Case
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, save_adjudicated_seg
from neuroview.core.errors import SaveError
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import list_cases
from tests.app.readers_series import ann_and_bob, apply_outline, modelled_case


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    return ann_and_bob(tmp_path_factory.mktemp("adjudication_undo"), mni_volume)


def _applied(folder, workspace, reader="Jones^Bob"):
    """:func:`modelled_case` with ``reader``'s outline applied by Sam Senior: (case, comparison,
    plan)."""
    case, comparison = modelled_case(folder, workspace)
    return case, comparison, apply_outline(case, comparison, reader, "Senior^Sam")


def _sent(case, dataset):
    """The training-set record of ``case`` as *Add to training set* writes it."""
    case.send_to_training_set(dataset)
    (record,) = [c for c in list_cases(dataset)]
    return record


def test_undo_of_the_apply_takes_the_record_back_and_redo_brings_it(readers, tmp_path):
    folder, _volume, ann, bob = readers
    case, _comparison, plan = _applied(folder, tmp_path / "ws")
    dataset = init_dataset(tmp_path, "Adjudicated", ["background", "lesion"])
    record = _sent(case, dataset)
    assert record.adjudication["adjudicator"] == "Sam Senior" and record.annotator == "Sam Senior"
    lesion = case.labels.segments.by_name("lesion").value

    case.session.undo()   # Ctrl+Z: Ann's outline, the model's, as before the Apply
    assert np.array_equal(case.labels.array == lesion, ann)
    assert case.adjudication is None
    record = _sent(case, dataset)
    assert not record.adjudication and record.annotator != "Sam Senior"
    assert [s.source for s in record.segments] == ["model"]
    with pytest.raises(SaveError, match="not the adjudicated one"):
        save_adjudicated_seg(case, tmp_path / "adjudicated.dcm")
    assert not (tmp_path / "adjudicated.dcm").exists()

    case.session.redo()   # Ctrl+Y: Bob's outline, adjudicated again
    assert np.array_equal(case.labels.array == lesion, bob)
    assert case.adjudication is plan
    record = _sent(case, dataset)
    assert record.adjudication["lesions"][0]["taken_from"] == "Jones^Bob"
    saved = save_adjudicated_seg(case, tmp_path / "adjudicated.dcm")
    assert saved.exists()

    case.session.undo()
    case.session.apply("erase", at_ras=case.volume.ijk_to_ras[:3, 3], radius_mm=1.0, mode="2d")
    case.session.undo()
    assert case.session.redo() is not None and case.adjudication is None   # the erasure, not the Apply
    case.close()


def test_an_earlier_apply_stands_when_the_later_is_undone(readers, tmp_path):
    folder, _volume, _ann, _bob = readers
    case, comparison, first = _applied(folder, tmp_path / "ws")
    second = AdjudicationPlan(comparison)
    second.choose(1, "Smith^Ann")
    apply_adjudication(case, second, "Doe^Jane")
    assert case.adjudication is second
    case.session.undo()
    assert case.adjudication is first
    case.session.undo()
    assert case.adjudication is None
    case.close()


def test_a_restore_after_the_undo_does_not_bring_the_record_back(readers, tmp_path):
    folder, volume, ann, bob = readers
    case, _comparison, plan = _applied(folder, tmp_path / "ws")
    case.session.undo()
    case.close()   # (the journal stays, as after a crash)
    restored = Case.open(volume, tmp_path / "ws", restore=True)
    lesion = restored.labels.segments.by_name("lesion").value
    assert np.array_equal(restored.labels.array == lesion, ann)
    assert restored.adjudication is None
    dataset = init_dataset(tmp_path, "Adjudicated", ["background", "lesion"])
    assert not _sent(restored, dataset).adjudication
    restored.session.redo()   # the undone Apply, restored as Ctrl+Y's: its record with it
    assert np.array_equal(restored.labels.array == lesion, bob)
    assert restored.adjudication.provenance(bob) == plan.provenance(bob)
    assert _sent(restored, dataset).adjudication["adjudicator"] == "Sam Senior"
    restored.close()


def test_the_same_plan_applied_twice_keeps_each_applys_record(readers, tmp_path):
    """The dialog's one plan changed and applied again (another outline, another adjudicator):
    Ctrl+Z of the second Apply gives the first one's record back, not the second's."""
    folder, _volume, ann, bob = readers
    case, _comparison, plan = _applied(folder, tmp_path / "ws")
    plan.choose(1, "Smith^Ann")
    apply_adjudication(case, plan, "Doe^Jane")
    assert case.adjudication.provenance(ann)["adjudicator"] == "Jane Doe"
    case.session.undo()
    record = case.adjudication.provenance(bob)
    assert record["adjudicator"] == "Sam Senior"
    assert [(x["taken_from"], x["edited_voxels"]) for x in record["lesions"]] == [("Jones^Bob", 0)]
    case.session.redo()
    assert case.adjudication is plan and plan.provenance(ann)["adjudicator"] == "Jane Doe"
    case.close()
