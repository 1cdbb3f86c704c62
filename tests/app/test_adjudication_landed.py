"""The training set's record of an adjudication counts the adjudicator's edits against what the
*Apply to label map* wrote: a locked segment keeps its voxels (nobody drew them in the lesion), so
they are no edits. Until session 40 the record counted every voxel of the mask a locked segment
kept as "edited" (a walk: 554 edited where 8 landed, none drawn), in the window's record and in a
restored case's alike."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.adjudication_record import recall_plans
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.store import list_cases
from tests.app.readers_series import ann_and_bob, apply_outline, modelled_case


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    return ann_and_bob(tmp_path_factory.mktemp("adjudication_landed"), mni_volume)


def _locked_then_applied(folder, workspace):
    """Bob's outline applied by Sam, that segment renamed and locked, then Ann's applied by Lee
    into a new ``lesion``: (case, Ann's mask, the voxels Sam's locked segment kept)."""
    case, comparison = modelled_case(folder, workspace)
    apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    sam = case.labels.segments.by_name("lesion").value
    case.session.segments.rename(sam, "lesion (Sam)")
    case.session.segments.lock(sam)
    held = case.labels.array == sam
    plan = apply_outline(case, comparison, "Smith^Ann", "Park^Lee")
    ann = plan.result.mask
    return case, ann, ann & held


def _record(case, root):
    dataset = init_dataset(root, "Adjudicated", ["background", "lesion"])
    case.send_to_training_set(dataset, label_for={"lesion (Sam)": "lesion"})
    (record,) = list_cases(dataset)
    return record.adjudication


def test_voxels_a_locked_segment_kept_are_no_edits(readers, tmp_path):
    folder, _volume, _ann, _bob = readers
    case, ann, kept = _locked_then_applied(folder, tmp_path / "ws")
    lesion = case.labels.segments.by_name("lesion").value
    landed = case.labels.array == lesion
    assert kept.sum() > 0 and np.array_equal(landed, ann & ~kept)   # the lock held its voxels
    record = _record(case, tmp_path / "first")
    assert record["adjudicator"] == "Lee Park"
    assert [item["edited_voxels"] for item in record["lesions"]] == [0]
    assert record["voxels_drawn_outside_readers_lesions"] == 0
    # a plan read back from the workspace (a restore) counts the same
    (_key, recalled, _undone), = [p for p in recall_plans(case.workspace, case.session)
                                  if p[1].result.adjudicator == "Park^Lee"]
    assert [i["edited_voxels"] for i in recalled.provenance(landed)["lesions"]] == [0]

    corner = tuple(np.argwhere(landed)[0])   # one voxel erased by hand: one edit
    case.session.apply("erase", at_ras=(case.volume.ijk_to_ras @ np.append(corner, 1.0))[:3],
                       radius_mm=1.0, mode="2d", segment=lesion)
    erased = int(landed.sum() - (case.labels.array == lesion).sum())
    assert erased > 0
    record = _record(case, tmp_path / "second")
    assert [item["edited_voxels"] for item in record["lesions"]] == [erased]
    case.close()


def test_a_locked_segment_past_255_keeps_its_voxels_out_of_the_record(readers, tmp_path):
    """A map of 16-bit labels, a locked segment 300 (44 in a byte) where the lesion lands."""
    folder, _volume, _ann, bob = readers
    case, comparison = modelled_case(folder, tmp_path / "ws")
    wide = case.session.segments.add("wide", value=300)
    ijk = np.argwhere(bob)[0]
    case.session.apply("paint", at_ras=(case.volume.ijk_to_ras @ np.append(ijk, 1.0))[:3], radius_mm=7.0,
                       mode="2d", segment=wide.value)
    case.session.segments.lock(wide.value)
    held = case.labels.array == 300
    assert (held & bob).any() and case.labels.array.dtype == np.uint16
    plan = apply_outline(case, comparison, "Jones^Bob", "Senior^Sam")
    lesion = case.labels.segments.by_name("lesion").value
    assert np.array_equal(plan.landed, case.labels.array == lesion) and not (plan.landed & held).any()
    assert [i["edited_voxels"] for i in plan.provenance(case.labels.array == lesion)["lesions"]] == [0]
    case.close()
