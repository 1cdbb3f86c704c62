"""Segment voxel counts follow every edit from its diff, and equal a whole-volume count exactly."""

import numpy as np

from neuroview import Session


def _expected(session) -> dict[int, int]:
    counts = np.bincount(session.labels.array.ravel())
    return {int(v): int(counts[v]) for v in np.flatnonzero(counts) if v}


def test_incremental_counts_equal_bincount_after_random_edits(small_image):
    s = Session.open(small_image)
    for name in ("a", "b", "c"):
        s.segments.add(name)
    assert s.counts.counts() == {}          # primed once, on the empty map
    rng = np.random.default_rng(7)
    centre = s.volume.center_ras
    kinds = []
    for n in range(60):
        kind = rng.choice(["paint", "paint", "erase", "fill", "undo", "undo", "redo"])
        at = centre + rng.uniform(-30, 30, 3)
        segment = int(rng.integers(1, 4))
        if kind == "paint":
            s.apply("paint", at_ras=at, radius_mm=float(rng.uniform(4, 12)), segment=segment,
                    mode=str(rng.choice(["2d", "3d"])), view="axial", path=[at + rng.uniform(-8, 8, 3)])
        elif kind == "erase":
            s.apply("erase", at_ras=at, radius_mm=8.0, mode="3d", segment="all")
        elif kind == "fill":
            s.apply("fill", at_ras=at, mode="2d", view="axial", segment=segment)
        elif kind == "undo":
            s.undo()
        else:
            s.redo()
        kinds.append(kind)
        assert s.counts.counts() == _expected(s), (n, kind)
    s.segments.remove("b")                  # clears b's voxels: one step with a diff
    assert s.counts.counts() == _expected(s)
    s.undo()
    assert s.counts.counts() == _expected(s) and 2 in s.counts.counts()
    assert s.voxel_counts()["b"] == int((s.labels.array == 2).sum())
    assert {"paint", "undo", "redo", "fill", "erase"} <= set(kinds)
    assert sum(_expected(s).values()) > 1000   # the comparison is not between empty maps
    assert s.counts.full_recounts == 0         # every update came from a diff (a new map is empty)


def test_counts_through_a_stroke_widening_and_restore(small_image, tmp_path):
    s = Session.open(small_image, workspace=tmp_path / "ws")
    s.segments.add("a")
    centre = s.volume.center_ras
    s.apply("paint", at_ras=centre, radius_mm=10, mode="3d")
    committed = _expected(s)
    assert s.counts.counts() == committed
    s.press("paint", centre + [15, 0, 0], radius_mm=6, mode="3d")
    assert _expected(s) != committed
    assert s.counts.counts() == committed      # mid-stroke: the last committed state
    s.drag(centre + [20, 0, 0])
    s.release()
    assert s.counts.counts() == _expected(s)   # the stroke's voxels counted once, not twice
    s.segments.add("big", value=300)           # a label above 255 widens the map to uint16
    s.apply("paint", at_ras=centre - [10, 0, 0], radius_mm=8, mode="3d", segment="big")
    assert s.labels.array.dtype == np.uint16 and 300 in s.counts.counts()
    assert s.counts.counts() == _expected(s)
    s.undo()
    assert s.counts.counts() == _expected(s)
    state = _expected(s)
    s.close()
    again = Session.open(small_image, workspace=tmp_path / "ws")
    assert again.counts.counts() == state == _expected(again)
    again.close()
