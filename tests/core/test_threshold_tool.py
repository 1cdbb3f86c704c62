"""Threshold: every voxel whose image value lies in the range joins the selected segment, connected
or not, as Slicer's Threshold effect: on a CT, bone from 300 HU or a bleed at 50-90 HU in one
Apply. Before it, the editor had no threshold: *Fill* with an intensity range takes only the
region connected to the click, so each piece of bone needed its own click."""

import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume


def _ct(shape=(40, 36, 40)) -> np.ndarray:
    """HU: air, a brain, two separate bones, a bleed; spread over more than one slab of slices."""
    rng = np.random.default_rng(5)
    image = np.full(shape, -1000, np.int16)
    image[4:36, 4:32, 2:38] = 35
    image[6:10, 6:30, 3:37] = 900          # one bone
    image[30:34, 6:30, 3:37] = 1200        # another, not touching it
    image[18:24, 14:20, 10:30] = 70        # a bleed
    return image + rng.integers(-4, 5, shape).astype(np.int16)


@pytest.fixture
def session(tmp_path):
    return Session(Volume(_ct(), np.diag([0.9, 0.9, 2.0, 1.0]), modality="CT",
                          intensity_unit="HU"), tmp_path / "ws")


def test_threshold_takes_every_voxel_in_range_connected_or_not(session):
    image = np.asarray(session.volume.array)
    bone = session.segments.add("bone")
    session.apply("threshold", segment=bone, intensity_low=300)
    assert np.array_equal(session.labels.array == bone.value, image >= 300)
    bleed = session.segments.add("bleed")
    session.apply("threshold", segment=bleed, intensity_low=50, intensity_high=90)
    assert np.array_equal(session.labels.array == bleed.value, (image >= 50) & (image <= 90))
    session.undo()                                           # one step per Apply
    assert not np.any(session.labels.array == bleed.value)
    assert np.array_equal(session.labels.array == bone.value, image >= 300)


def test_threshold_keeps_the_segment_and_respects_locks(session):
    image = np.asarray(session.volume.array)
    drawn = session.segments.add("drawn")
    session.labels.array[0:2, 0:2, 0:2] = drawn.value        # in air: not in the range
    locked = session.segments.add("locked")
    session.segments.lock(locked)
    session.labels.array[6:8, 6:30, 3:37] = locked.value     # half of the first bone
    session.apply("threshold", segment=drawn, intensity_low=300)
    assert np.all(session.labels.array[0:2, 0:2, 0:2] == drawn.value)
    assert np.all(session.labels.array[6:8, 6:30, 3:37] == locked.value)
    expected = (image >= 300)
    expected[6:8, 6:30, 3:37] = False
    expected[0:2, 0:2, 0:2] = True
    assert np.array_equal(session.labels.array == drawn.value, expected)


def test_threshold_without_a_range_or_with_an_empty_one_says_why(session):
    bone = session.segments.add("bone")
    with pytest.raises(ToolError, match="threshold needs a range"):
        session.apply("threshold", segment=bone)
    with pytest.raises(ToolError, match="threshold range 90 to 50 is empty"):
        session.apply("threshold", segment=bone, intensity_low=90, intensity_high=50)
    assert not session.labels.array.any()
