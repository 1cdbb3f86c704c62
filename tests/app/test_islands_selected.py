"""Islands' *Keep selected island* and *Remove selected island* (3D Slicer's), and *Split islands
to segments* with a minimum size, from Python: ``s.apply("islands", operation=..., at_ras=...)``.

A thresholded head CT's skull rim can be a larger island than the bleed, so *Keep the largest
island* kept the rim, with no way to keep the island the user meant (session 48's CT walk)."""

import numpy as np
import pytest

from neuroview import Session
from neuroview.app.apply_notes import apply_note
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume

AFFINE = np.diag([1.0, 1.0, 2.0, 1.0])


def _rim_and_bleed(tmp_path):
    """Segment "bleed" holding a ring (the skull's inner edge, 26-connected, larger), a blob
    (the bleed) and one lone voxel; the masks of each."""
    volume = Volume(np.zeros((40, 40, 8), np.float32), AFFINE)
    session = Session(volume, tmp_path / "ws")
    bleed = session.segments.add("bleed")
    i, j = np.meshgrid(np.arange(40) - 19.5, np.arange(40) - 19.5, indexing="ij")
    ring = np.repeat(((np.hypot(i, j) >= 16) & (np.hypot(i, j) < 18))[:, :, None], 8, axis=2)
    ring[..., 6:] = False
    blob = np.zeros(volume.shape, bool)
    blob[8:14, 18:24, 2:5] = True
    lone = np.zeros(volume.shape, bool)
    lone[20, 20, 1] = True
    labels = np.where(ring | blob | lone, bleed.value, 0).astype(np.uint8)
    session._write_region("draw", (0, 0, 0), labels, {})
    return session, bleed, ring, blob, lone


def _ras(ijk):
    return (AFFINE @ np.append(np.asarray(ijk, float), 1.0))[:3]


def test_keep_selected_keeps_the_island_clicked_not_the_largest(tmp_path):
    session, bleed, ring, blob, lone = _rim_and_bleed(tmp_path)
    before = session.labels.array.copy()
    assert ring.sum() > blob.sum()     # the largest island is the rim
    step = session.apply("islands", operation="keep_selected", at_ras=_ras((10, 20, 3)))
    assert np.array_equal(session.labels.array == bleed.value, blob)
    assert apply_note("islands", session._params("islands", {"operation": "keep_selected"}), step,
                      bleed.value, "bleed", session.labels.voxel_volume_ml) == (
        f"Islands: kept the island clicked, removed 2 ({ring.sum() + 1:,} voxels, "
        f"{(ring.sum() + 1) * 0.002:.1f} mL) from 'bleed'.")
    session.undo()
    assert np.array_equal(session.labels.array, before)


def test_remove_selected_removes_the_island_clicked_only_and_survives_a_crash(tmp_path):
    session, bleed, ring, blob, lone = _rim_and_bleed(tmp_path)
    rim_voxel = np.argwhere(ring)[0]
    session.apply("islands", operation="remove_selected", at_ras=_ras(rim_voxel))
    assert np.array_equal(session.labels.array == bleed.value, blob | lone)
    session.journal.close()   # killed: never saved, never closed properly
    again = Session(session.volume, tmp_path / "ws")
    assert np.array_equal(again.labels.array == bleed.value, blob | lone)
    again.close()


def test_a_click_off_the_segment_or_no_click_is_refused_in_one_line(tmp_path):
    session, bleed, ring, blob, lone = _rim_and_bleed(tmp_path)
    before = session.labels.array.copy()
    with pytest.raises(ToolError, match=r"^Islands: the click is not on 'bleed': click on one of "
                                        r"its islands to keep it$"):
        session.apply("islands", operation="keep_selected", at_ras=_ras((20, 20, 3)))
    with pytest.raises(ToolError, match=r"^Islands: click on an island of 'bleed' in a slice view "
                                        r"to remove it$"):
        session.apply("islands", operation="remove_selected")
    assert np.array_equal(session.labels.array, before)
    assert session.history.next_undo.name == "draw"


def test_split_with_a_minimum_size_drops_the_smaller_islands(tmp_path):
    session, bleed, ring, blob, lone = _rim_and_bleed(tmp_path)
    step = session.apply("islands", operation="split", min_voxels=2)
    array = session.labels.array
    assert np.array_equal(array == bleed.value, ring)      # the largest stays in the segment
    second = session.segments.get("bleed 2")
    assert np.array_equal(array == second.value, blob)
    assert array[20, 20, 1] == 0 and len(session.segments) == 2
    params = session._params("islands", {"operation": "split", "min_voxels": 2})
    assert apply_note("islands", params, step, bleed.value, "bleed", 0.002) == (
        f"Islands: split 'bleed' into 2 segments ({blob.sum():,} voxels moved to 1 new segment; "
        "removed 1 small ones, 1 voxel).")
