"""The segment panel's first count of a big label map needs no whole-volume int64 temporary
(issue #16.9: np.bincount of a 512x512x1000 uint8 map allocated 2 GiB on the GUI thread)."""

from __future__ import annotations

import tracemalloc

import numpy as np

import neuroview.core.labels as labels_module
from neuroview.app.label_counts import LabelCounts
from neuroview.core.labels import LabelMap, count_values


def _peak_of(function):
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_first_count_of_a_big_map_is_chunked(monkeypatch):
    monkeypatch.setattr(labels_module, "COUNT_CHUNK", 1 << 16)
    array = np.zeros((256, 256, 128), np.uint8)  # 8 MiB; a whole bincount's temporary is 64 MiB
    array[10:60, 20:90, 5:40] = 3
    array[100:110, 100:110, 100:110] = 250
    counts = LabelCounts(LabelMap(array, np.eye(4)))
    peak = _peak_of(counts.counts)
    assert peak < 2 * 1024 * 1024, peak  # a few 512 KiB chunks, not 64 MiB
    assert counts.counts() == {3: 50 * 70 * 35, 250: 1000}
    assert counts.full_recounts == 1


def test_count_values_matches_bincount_and_skips_an_empty_map(monkeypatch):
    monkeypatch.setattr(labels_module, "COUNT_CHUNK", 1000)
    rng = np.random.default_rng(4)
    for dtype, top in ((np.uint8, 255), (np.uint16, 700)):
        array = rng.integers(0, top, size=(31, 17, 9)).astype(dtype)
        np.testing.assert_array_equal(count_values(array), np.bincount(array.ravel()))
    empty = np.zeros((64, 64, 64), np.uint8)
    assert _peak_of(lambda: count_values(empty)) < 64 * 1024
    np.testing.assert_array_equal(count_values(empty), [64 ** 3])
