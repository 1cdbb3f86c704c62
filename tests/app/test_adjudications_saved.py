"""Two *Apply to label map*s into two segments (Sam Senior's lesion renamed and locked, then Jane
Doe's Apply makes a new ``lesion``), then *Save labels*, which compacts the journal: a reopen, or
*Restore* after a kill (SIGKILL), gives back both segments' ``adjudicated`` *From* and both
Applies' records. Until session 40 a save kept only the latest Apply with its stored map, so
Sam's lesion read ``drawn`` after the restore, and its plan was deleted at the next save."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.adjudication_record import recall_plans
from neuroview.app.case import Case
from neuroview.app.readers import save_adjudicated_seg
from neuroview.core.errors import SaveError
from tests.app.readers_series import ann_and_bob, apply_outline, modelled_case
from tests.durability import killed_after

SAM = ("adjudicated", "adjudicated by Sam Senior (was tiny@1.0)")
JANE = ("adjudicated", "adjudicated by Jane Doe")


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    return ann_and_bob(tmp_path_factory.mktemp("adjudications_saved"), mni_volume)


def two_segments_saved(folder, workspace, saved, close) -> None:
    """A model's lesion, Bob's outline applied over it by Sam Senior, that segment renamed and
    locked, Ann's outline applied by Jane Doe (a new ``lesion``), the labels saved to ``saved``;
    ``close``: the case closed as the window closes it (else killed as it is)."""
    case, comparison = modelled_case(folder, workspace)
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    first = case.labels.segments.by_name("lesion").value
    case.session.segments.rename(first, "lesion (Sam)")
    case.session.segments.lock(first)
    apply_outline(case, comparison, "Smith^Ann", "Doe^Jane")
    case.session.save_labels(saved)
    if close:
        case.close()


@pytest.mark.parametrize("close", [True, False], ids=["reopened", "killed"])
def test_a_save_keeps_both_segments_adjudicated(readers, tmp_path, close):
    folder, volume, ann, bob = readers
    workspace = tmp_path / "ws"
    killed_after(two_segments_saved, folder, workspace, tmp_path / "labels.nii.gz", close)
    case = Case.open(volume, workspace, restore=True)
    segments = case.session.segments
    table = case.labels.segments
    sam, jane = table.by_name("lesion (Sam)").value, table.by_name("lesion").value
    assert np.array_equal(case.labels.array == sam, bob)   # locked: Jane's Apply drew around it
    assert np.array_equal(case.labels.array == jane, ann & ~bob)
    assert segments.source_cell(sam) == SAM
    assert segments.source_cell(jane) == JANE
    assert case.adjudication.provenance()["adjudicator"] == "Jane Doe"
    recalled = recall_plans(workspace, case.session)   # each Apply's record, oldest first
    assert [plan.provenance()["adjudicator"] for _k, plan, _u in recalled] == ["Sam Senior", "Jane Doe"]
    case.session.save_labels(tmp_path / "labels.nii.gz")   # a save after the restore keeps both
    assert len(list(workspace.glob("adjudication-*.npz"))) == 2
    case.close()
    case = Case.open(volume, workspace, restore=True)
    assert case.session.segments.source_cell(sam) == SAM
    assert case.session.segments.source_cell(jane) == JANE
    case.close()


def test_session_39s_one_mark_is_read(readers, tmp_path):
    """A workspace saved by session 39 keeps one mark (``adjudicated.json`` without ``marks``):
    still read back as the Apply in force."""
    import json

    folder, volume, _ann, _bob = readers
    workspace = tmp_path / "ws"
    two_segments_saved(folder, workspace, tmp_path / "labels.nii.gz", close=True)
    kept = json.loads((workspace / "adjudicated.json").read_text())
    jane = kept["marks"][-1]
    (workspace / "adjudicated.json").write_text(json.dumps({"generation": kept["generation"], **jane}))
    case = Case.open(volume, workspace, restore=True)
    assert case.session.segments.source_cell(jane["value"]) == JANE
    assert case.adjudication.provenance()["adjudicator"] == "Jane Doe"
    case.close()


def test_a_segment_removed_takes_its_mark_with_it(readers, tmp_path):
    """The adjudicated ``lesion`` removed, then a new segment drawn (it gets the freed value): the
    new one reads ``drawn``, not "adjudicated by Sam Senior", and the case has no adjudication
    record (a SEG or a training case of the new segment went out as Sam's version); also after a
    save and a reopen. Ctrl+Z of the removal gives the lesion its mark and record back."""
    folder, volume, _ann, _bob = readers
    case, comparison = modelled_case(folder, tmp_path / "ws")
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    segments = case.session.segments
    value = case.labels.segments.by_name("lesion").value
    segments.remove(value)
    assert case.adjudication is None
    with pytest.raises(SaveError, match="not the adjudicated one"):
        save_adjudicated_seg(case, tmp_path / "sam.dcm")
    case.session.undo()
    assert segments.source_cell(value) == SAM
    assert case.adjudication.provenance()["adjudicator"] == "Sam Senior"
    case.session.redo()
    new = segments.add("redrawn").value
    assert new == value   # the freed value, as the window gives it
    centre = case.volume.ijk_to_ras @ [*(np.array(case.volume.shape[:3]) // 2), 1.0]
    case.session.apply("paint", at_ras=centre[:3], radius_mm=8.0, mode="2d", segment=new)
    assert (case.labels.array == new).any()
    case.session.counts.counts()   # as the window's count gives them
    assert segments.source_cell(new) == ("drawn", "drawn")
    case.session.save_labels(tmp_path / "labels.nii.gz")
    case.close()
    assert case.adjudication is None
    case.close()
    case = Case.open(volume, tmp_path / "ws", restore=True)
    case.session.counts.counts()
    assert case.session.segments.source_cell(new) == ("drawn", "drawn")
    assert case.adjudication is None
    case.close()
