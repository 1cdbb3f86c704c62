"""Adjudication lesion by lesion on made-up readers."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.adjudication import CONSENSUS, NOTHING, adjudicate, lesion_groups
from neuroview.dataset.agreement import majority_vote


def _box(shape, lo, hi):
    mask = np.zeros(shape, bool)
    mask[tuple(slice(a, b) for a, b in zip(lo, hi))] = True
    return mask


def test_lesions_matched_across_readers_and_taken_per_lesion():
    shape = (40, 40, 12)
    big_ann, big_bob = _box(shape, (2, 2, 2), (12, 12, 8)), _box(shape, (4, 3, 2), (14, 12, 9))
    small_ann = _box(shape, (25, 25, 3), (28, 28, 6))  # only Ann saw it
    small_bob = _box(shape, (30, 2, 3), (33, 5, 5))  # only Bob saw it (a false positive, say)
    masks = {"ann": big_ann | small_ann, "bob": big_bob | small_bob, "cy": big_ann & big_bob}
    groups = lesion_groups(masks)
    assert len(groups) == 3
    big = groups[0]
    assert np.array_equal(big.full_region(shape), big_ann | big_bob)
    assert big.voxels == {"ann": big_ann.sum(), "bob": big_bob.sum(), "cy": (big_ann & big_bob).sum()}
    only_ann = next(g for g in groups if g.voxels["ann"] and not g.voxels["bob"])
    only_bob = next(g for g in groups if g.voxels["bob"] and not g.voxels["ann"])
    consensus = majority_vote(masks).mask
    result = adjudicate(masks, groups, {big.number: CONSENSUS, only_ann.number: "ann",
                                        only_bob.number: NOTHING}, consensus, adjudicator="Senior^Sam")
    expected = (big_ann & big_bob) | small_ann  # majority of the big one, Ann's small one, not Bob's
    assert np.array_equal(result.mask, expected)
    record = result.provenance()
    assert record["adjudicator"] == "Sam Senior"
    taken = {item["lesion"]: (item["taken_from"], item["voxels"]) for item in record["lesions"]}
    assert taken[only_ann.number] == ("ann", small_ann.sum()) and taken[only_bob.number] == ("none", 0)
    result = adjudicate(masks, groups, {big.number: "bob", only_ann.number: NOTHING, only_bob.number: "bob"})
    assert np.array_equal(result.mask, big_bob | small_bob)


def test_every_lesion_must_be_decided():
    masks = {"ann": _box((10, 10, 10), (1, 1, 1), (4, 4, 4)), "bob": _box((10, 10, 10), (6, 6, 6), (9, 9, 9))}
    groups = lesion_groups(masks)
    with pytest.raises(DatasetError, match="^lesion 2 not decided yet$"):   # was 'lesion(s) 2'
        adjudicate(masks, groups, {1: "ann"})
    with pytest.raises(DatasetError, match="^lesions 1, 2 not decided yet$"):
        adjudicate(masks, groups, {})
    with pytest.raises(DatasetError, match="not a reader"):
        adjudicate(masks, groups, {1: "ann", 2: "zed"})
