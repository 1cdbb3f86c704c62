"""The Threshold tool (3D Slicer's *Threshold* effect): Apply sets the selected segment to the
voxels whose intensity lies in the range, as the overwrite policy and the locks allow, in one
undo step that the crash journal keeps (a SIGKILL right after it, then reopening, gives it back)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.edit.threshold import default_range, otsu
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume
from tests.durability import killed_after


@pytest.fixture
def volume():
    """16x14x10 voxels: intensity = 10 * i (0..150), so a range picks whole i-slabs."""
    image = np.broadcast_to((10.0 * np.arange(16))[:, None, None], (16, 14, 10)).astype(np.float32)
    return Volume(np.ascontiguousarray(image), np.diag([1.0, 1.0, 2.0, 1.0]))


def expected(volume, low, high):
    image = volume.frame(0)
    return (image >= low) & (image <= high)


def test_apply_sets_the_segment_to_the_range_as_one_undo_step(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    lesion = s.segments.add("lesion")
    s.apply("paint", at_ras=(1, 1, 0), radius_mm=1.5, mode="3d")   # outside the range: cleared
    painted = s.labels.array.copy()
    assert (painted[:3] == lesion.value).any()
    step = s.apply("threshold", low=55, high=100)
    assert step is not None
    assert np.array_equal(s.labels.array == lesion.value, expected(volume, 55, 100))
    assert s.voxel_counts()["lesion"] == 5 * 14 * 10   # i = 6..10
    s.undo()
    assert np.array_equal(s.labels.array, painted)
    s.redo()
    assert np.array_equal(s.labels.array == lesion.value, expected(volume, 55, 100))
    s.close()


def test_locks_and_the_overwrite_policy_are_respected(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    other = s.segments.add("vessel")
    s.labels.array[7, :, :] = other.value            # inside the range
    locked = s.segments.add("bone")
    s.labels.array[9, :, :] = locked.value
    s.segments.lock(locked)
    lesion = s.segments.add("lesion")
    s.set_policy("background")
    s.apply("threshold", low=55, high=100)
    a = s.labels.array
    assert (a[7] == other.value).all() and (a[9] == locked.value).all()   # not overwritten
    assert (a[[6, 8, 10]] == lesion.value).all() and not (a[11:] == lesion.value).any()
    s.undo()
    s.set_policy("all")
    s.apply("threshold", low=55, high=100)
    assert (a[7] == lesion.value).all() and (a[9] == locked.value).all()   # the lock still holds
    s.segments.lock(lesion)
    with pytest.raises(ToolError, match="locked"):
        s.apply("threshold", low=0, high=10)
    s.close()


def test_an_empty_or_missing_range_is_refused_in_words(volume, tmp_path):
    s = Session(volume, tmp_path / "ws")
    s.segments.add("lesion")
    with pytest.raises(ToolError, match="range is empty: from 90 to 50"):
        s.apply("threshold", low=90, high=50)
    with pytest.raises(ToolError, match="needs an intensity range"):
        s.apply("threshold")
    assert not s.labels.array.any()
    s.close()


def test_default_range_is_otsu_to_the_maximum():
    rng = np.random.default_rng(0)
    image = np.where(rng.random((40, 40, 40)) < 0.3, rng.normal(300, 20, (40, 40, 40)),
                     rng.normal(50, 10, (40, 40, 40))).astype(np.float32)
    low, high = default_range(image)
    assert 80 < low < 240 and high == float(image.max())
    threshold_otsu = pytest.importorskip("skimage.filters").threshold_otsu   # the reference
    values = image.ravel().astype(np.float64)
    assert otsu(values) == pytest.approx(threshold_otsu(values), abs=1e-6)


def test_a_kill_after_apply_restores_the_threshold_step(volume, tmp_path):
    workspace = tmp_path / "ws"
    def apply():
        s = Session(volume, workspace)
        s.segments.add("lesion")
        s.apply("threshold", low=55, high=100)

    killed_after(apply)
    restored = Session(volume, workspace)
    lesion = restored.segments["lesion"]
    assert np.array_equal(restored.labels.array == lesion.value, expected(volume, 55, 100))
    restored.undo()   # the step itself came back, not only its voxels
    assert not restored.labels.array.any()
    restored.close()
