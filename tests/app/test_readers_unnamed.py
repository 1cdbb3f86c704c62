"""SEGs that name no reader (no ContentCreatorName): until session 35 they were all one reader
"(unknown reader)" and only the latest of them was compared, the others dropped without a word.
Now each is a reader of its own, named by what tells it apart (description, series number, date,
a number last), never a UID nor the patient's name."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from readers_series import readers_series

from neuroview.app.readers import AdjudicationPlan, compare_readers
from neuroview.core.errors import DatasetError
from neuroview.core.labels import LabelMap
from neuroview.io.seg import load_seg, save_seg

# file: (ContentCreatorName, series description, series number, ContentDate + ContentTime)
SEGS = {"a.dcm": (None, "neuroview segmentation", 900, "20261201", "101500"),
        "b.dcm": (None, "neuroview segmentation", 900, "20261201", "143000"),
        "c.dcm": (None, "Resident draft", 900, "20261201", "143000"),
        "d.dcm": (None, "neuroview segmentation", 900, "20261201", "143000"),
        "e.dcm": (None, "Lesions of Jane Doe", 7, "20261202", "090000"),
        "f.dcm": ("Smith^Ann", "Lesions - Ann Smith's version", 900, "20261203", "080000")}
NAMES = {"a.dcm": "unnamed: 2026-12-01 10:15",
         "b.dcm": "unnamed: 2026-12-01 14:30, #1",
         "c.dcm": "unnamed: Resident draft",
         "d.dcm": "unnamed: 2026-12-01 14:30, #2",
         "e.dcm": "unnamed: no description",   # the description names the patient (Doe^Jane)
         "f.dcm": "Smith^Ann"}


@pytest.fixture(scope="module")
def unnamed_study(tmp_path_factory, mni_volume):
    """A series and six SEGs beside it, five naming no reader; each a box a voxel further along i."""
    root = tmp_path_factory.mktemp("unnamed")
    volume, headers = readers_series(root, mni_volume)
    masks = {}
    for n, (name, (creator, description, number, day, time)) in enumerate(SEGS.items()):
        mask = np.zeros(volume.shape, bool)
        mask[2 + n:10 + n, 4:12, 3:8] = True
        path = root / "study" / name
        save_seg(LabelMap(mask.astype(np.uint8), volume.ijk_to_ras), headers, path,
                 series_description=description, series_number=number, content_creator=creator)
        ds = pydicom.dcmread(path)   # made on the day and time of SEGS
        ds.ContentDate, ds.ContentTime = day, time
        ds.save_as(path)
        masks[name] = mask
    return volume, masks


def test_each_unnamed_seg_is_a_reader_of_its_own_named_apart(unnamed_study):
    volume, masks = unnamed_study
    comparison = compare_readers(volume, None, "majority")
    assert comparison.problems == []
    assert {v.path.name: v.reader for v in comparison.versions} == NAMES   # all six, none dropped
    assert len(comparison.readers) == 6 and len(comparison.pairs) == 15
    for version in comparison.versions:   # each reader's own voxels
        assert np.array_equal(comparison.masks[version.reader], masks[version.path.name])
        assert np.array_equal(comparison.masks[version.reader],
                              load_seg(version.path, volume=volume).array > 0)
    for name in comparison.readers:   # no UID, no patient's name in a reader's name
        assert not any(uid in name for uid in (volume.source_metadata["SeriesInstanceUID"],
                                               *(v.seg_series_uid for v in comparison.versions)))
        assert "Doe" not in name and "Jane" not in name


def test_an_unnamed_readers_outline_is_taken_by_its_name(unnamed_study):
    volume, masks = unnamed_study
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    assert len(plan.groups) == 1   # the boxes overlap: one lesion
    plan.choose(1, NAMES["c.dcm"])
    plan.result = plan.adjudicate("Sam Senior")
    assert np.array_equal(plan.result.mask, masks["c.dcm"])
    readers = {r["reader"] for r in plan.provenance()["readers"]}
    assert readers == set(NAMES.values())


def test_a_choice_of_no_reader_is_one_line_listing_the_choices(unnamed_study):
    """(It was a TypeError: the consensus and nothing are no str.)"""
    volume, _masks = unnamed_study
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    with pytest.raises(DatasetError) as error:
        plan.choose(1, "unnamed")
    assert str(error.value).endswith(f"{', '.join(NAMES.values())}, consensus, none")
