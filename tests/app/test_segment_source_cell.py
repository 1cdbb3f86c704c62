"""The segment list's *From* cell (``Segments.source_cell``): a segment a person adds reads
nothing until it is known to hold voxels. Until session 28 it read ``drawn`` whenever the voxel
counts were not ready: before a big image's first count, and after a 256th label widened the
map to uint16 (which threw the counts away)."""

import numpy as np

from neuroview.app.session import Session
from neuroview.core.volume import Volume


def _session() -> Session:
    image = np.random.default_rng(1).normal(100, 5, (24, 24, 12)).astype(np.float32)
    return Session(Volume(image, np.eye(4)))


def test_a_new_segment_reads_nothing_until_drawn_in():
    s = _session()
    a = s.segments.add("a")
    assert s.counts.ready and s.counts.full_recounts == 0   # a new map is empty: nothing to count
    assert s.segments.source_cell(a) == ("", "")
    s.apply("paint", at_ras=(12.0, 12.0, 6.0), radius_mm=2.0, mode="3d")
    assert s.segments.source_cell(a) == ("drawn", "drawn")
    assert s.counts.full_recounts == 0


def test_a_256th_label_keeps_the_counts_and_reads_nothing():
    s = _session()
    s.segments.add("a")
    s.apply("paint", at_ras=(12.0, 12.0, 6.0), radius_mm=2.0, mode="3d")
    big = s.segments.add("big", value=300)                  # the map becomes uint16
    assert s.labels.array.dtype == np.uint16 and s.counts.ready
    assert s.segments.source_cell(big) == ("", "")
    assert s.segments.source_cell("a") == ("drawn", "drawn")
    s.apply("paint", at_ras=(6.0, 6.0, 6.0), radius_mm=2.0, mode="3d", segment=big)
    assert s.segments.source_cell(big) == ("drawn", "drawn")
    assert s.counts.counts() == {1: int((s.labels.array == 1).sum()), 300: int((s.labels.array == 300).sum())}


def test_unknown_counts_never_say_drawn():
    s = _session()
    a = s.segments.add("a")
    s.apply("paint", at_ras=(12.0, 12.0, 6.0), radius_mm=2.0, mode="3d")
    s.counts.invalidate()                                   # as before a big map's first count
    assert s.segments.source_cell(a) == ("", "")
    s.counts.counts()                                       # counted (in the window: a worker)
    assert s.segments.source_cell(a) == ("drawn", "drawn")
