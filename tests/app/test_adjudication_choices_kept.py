"""The readers dialog's lesion choices not yet applied survive a kill (SIGKILL): kept in the case's
workspace as each is made, they come back when the same readers are compared again on that image,
lesion by lesion where the readers' outlines are unchanged. Until session 39 they were in memory
only. An Apply forgets them (they are in its plan)."""

from __future__ import annotations

import json

import pytest

from neuroview.app.case import Case
from neuroview.app.pending_choices import CHOICES_FILE, keep_choices, recall_choices
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
from neuroview.dataset.adjudication import CONSENSUS, NOTHING
from tests.app.readers_series import choose_then_killed, three_lesions
from tests.durability import killed_after


@pytest.fixture(scope="module")
def readers(tmp_path_factory, mni_volume):
    return three_lesions(tmp_path_factory.mktemp("choices_kept"), mni_volume)


def test_choices_not_applied_come_back_after_a_kill(readers, tmp_path):
    _folder, volume = readers
    killed_after(choose_then_killed, volume, tmp_path / "ws")
    case = Case.open(volume, tmp_path / "ws")
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    assert len(plan.groups) == 3
    assert recall_choices(case.workspace, plan) == 3
    assert plan.choices == {1: "Jones^Bob", 2: CONSENSUS, 3: NOTHING} and not plan.undecided()
    other = AdjudicationPlan(compare_readers(volume, None, "staple"))   # another consensus: the same
    assert recall_choices(case.workspace, other) == 3 and other.choices == plan.choices
    apply_adjudication(case, plan, "Sam Senior")
    assert not (tmp_path / "ws" / CHOICES_FILE).exists()   # applied: in the plan, none pending
    again = AdjudicationPlan(compare_readers(volume, None, "majority"))
    assert recall_choices(case.workspace, again) == 0 and again.choices == {}
    case.close()


def test_a_changed_reader_or_a_damaged_file_gives_no_choice(readers, tmp_path, mni_volume):
    folder, volume = readers
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    plan.choose(1, "Jones^Bob")
    plan.choose(3, "Smith^Ann")
    keep_choices(tmp_path, plan)
    assert json.loads((tmp_path / CHOICES_FILE).read_text())["lesions"][1]["choice"] == "Smith^Ann"
    moved, moved_volume = three_lesions(tmp_path / "moved", mni_volume, shift=2)   # Bob's outlines moved
    changed = AdjudicationPlan(compare_readers(moved_volume, None, "majority"))
    assert recall_choices(tmp_path, changed) == 0 and changed.choices == {}
    for damaged in ("", "{", '{"readers": ["Jones^Bob", "Smith^Ann"], "lesions": [{"lesion": 1}]}', "[]"):
        (tmp_path / CHOICES_FILE).write_text(damaged)
        fresh = AdjudicationPlan(compare_readers(volume, None, "majority"))
        assert recall_choices(tmp_path, fresh) == 0 and fresh.choices == {}
    plan.choices.clear()
    keep_choices(tmp_path, plan)   # no choice left: no file
    assert not (tmp_path / CHOICES_FILE).exists()
