"""An outline that holds none of a lesion cannot be taken for it: in session 48's walk the lead
clicked *Take ben* on the lesion only anna drew; nothing of it was kept, and the training case read
``adjudicated by Sam Senior: 2 of 2 lesions kept``. The plan (the window's take) and
``adjudicate`` (``pacs adjudicate --take``) refuse it, the window's button is greyed
(``tests/ui/test_readers_empty_take.py``); ``dataset list`` counts a lesion so recorded before as
not kept."""

from __future__ import annotations

import pytest

from neuroview.app.readers import AdjudicationPlan, compare_readers
from neuroview.core.errors import DatasetError
from neuroview.dataset.adjudication import NOTHING, adjudicate
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from tests.app.readers_series import BOB_REFUSED as REFUSED
from tests.app.readers_series import bob_misses_lesion_2
from tests.dataset.label_maps import lesion_map, noise_image


@pytest.fixture
def two_readers(tmp_path, mni_volume):
    return bob_misses_lesion_2(tmp_path, mni_volume)


def test_a_reader_who_drew_none_of_a_lesion_is_refused(two_readers):
    plan = AdjudicationPlan(compare_readers(two_readers, None, "staple"))
    assert [g.voxels for g in plan.groups][1] == {"Smith^Ann": 18, "Jones^Bob": 0}
    with pytest.raises(DatasetError) as refused:
        plan.choose(2, "Jones^Bob")
    assert str(refused.value) == REFUSED and 2 not in plan.choices
    plan.choose(2, "Smith^Ann")
    plan.choose(2, NOTHING)
    masks = plan.comparison.masks   # as pacs adjudicate --take 1=Ann --take 2=Bob gives them
    with pytest.raises(DatasetError, match="^lesion 2: Bob Jones drew none of it"):
        adjudicate(masks, plan.groups, {1: "Smith^Ann", 2: "Jones^Bob"})


def test_the_list_counts_an_empty_outline_as_not_kept(tmp_path, capsys):
    from neuroview.cli.main import main

    record = {"adjudicator": "Senior^Sam", "consensus": "STAPLE", "readers": [],
              "lesions": [{"lesion": 1, "taken_from": "anna", "from_reader": True, "voxels": 72},
                          {"lesion": 2, "taken_from": "ben", "from_reader": True, "voxels": 0}]}
    folder = init_dataset(tmp_path / "export", "Lesions", ["background", "lesion"])
    image = noise_image(1)
    add_case(folder, image, lesion_map(image), Provenance(annotator="Sam Senior", adjudication=record),
             links_path=tmp_path / "links.json")
    assert main(["dataset", "list", str(folder)]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.endswith("(adjudicated by Sam Senior: 1 of 2 lesions kept)"), line
