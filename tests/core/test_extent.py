"""The extent of a context segment (``core.extent``) as the segment table stores it: a box and its
mask, read back exactly; a damaged or hostile one is no extent (never a crash, never a zlib bomb
inflated), a wrong-typed one a one-line error naming the segment."""

from __future__ import annotations

import base64
import zlib

import numpy as np
import pytest

from neuroview.core.extent import encode_extent, extent_mask, inside
from neuroview.core.labels import Segment


def _mask(shape=(30, 40, 20)):
    ijk = np.indices(shape).transpose(1, 2, 3, 0)
    return (((ijk - [15, 18, 9]) / [9, 12, 6]) ** 2).sum(-1) <= 1


def test_an_extent_reads_back_exactly_through_the_segment_table():
    mask = _mask()
    extent = encode_extent(mask)
    assert extent["lo"] == [6, 6, 3] and extent["shape"] == [19, 25, 13]
    row = Segment(2, "brain", (70, 130, 180), origin="model", extent=extent).to_dict()
    back = Segment.from_dict(row)
    lo, box = extent_mask(back.extent, mask.shape)
    full = np.zeros(mask.shape, bool)
    full[lo[0]:lo[0] + box.shape[0], lo[1]:lo[1] + box.shape[1], lo[2]:lo[2] + box.shape[2]] = box
    assert np.array_equal(full, mask)
    assert np.array_equal(inside(back.extent, mask.shape, (0, 0, 0), mask.shape), mask)
    assert "extent" not in Segment(1, "lesion", (1, 2, 3)).to_dict()     # none: not written
    assert encode_extent(np.zeros((4, 4, 4), bool)) == {}


def test_a_damaged_or_hostile_extent_is_none():
    mask = _mask()
    extent = encode_extent(mask)
    assert extent_mask(extent, (10, 10, 10)) is None                    # not on this grid
    assert extent_mask(dict(extent, bits="!!not base64"), mask.shape) is None
    bomb = base64.b64encode(zlib.compress(bytes(8_000_000))).decode()   # 8 MB of zeros: 10,000x the box
    assert len(bomb) < 20_000
    assert extent_mask(dict(extent, bits=bomb), mask.shape) is None      # bounded, not inflated
    short = base64.b64encode(zlib.compress(bytes(10))).decode()
    assert extent_mask(dict(extent, bits=short), mask.shape) is None


@pytest.mark.parametrize("extent", [[1, 2, 3], {"lo": [0, 0], "shape": [1, 1, 1], "bits": ""},
                                    {"lo": [0, 0, -1], "shape": [1, 1, 1], "bits": ""},
                                    {"lo": [0, 0, 0], "shape": [1, 1, 1], "bits": 5}])
def test_a_wrong_extent_in_a_table_names_the_segment(extent):
    row = Segment(7, "brain", (1, 2, 3)).to_dict()
    with pytest.raises(ValueError, match="segment 7's extent"):
        Segment.from_dict(dict(row, extent=extent))
