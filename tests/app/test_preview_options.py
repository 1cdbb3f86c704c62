"""A Grow from seeds preview and the tool's options: ``set_params`` after the preview changed what
``session.params`` reported, but ``accept_preview`` still wrote the result of the old options
(padding 2 mm reported as 30 mm). Now accepting such a preview is refused, saying which options
changed; previewing again gives the result of the options reported."""

import numpy as np
import pytest
from nibabel.affines import apply_affine

from neuroview import Session
from neuroview.core.errors import ToolError


def _seeded(small_image):
    s = Session.open(small_image)
    centre = apply_affine(s.volume.ijk_to_ras, np.array(s.volume.shape[:3]) / 2)
    corner = apply_affine(s.volume.ijk_to_ras, [6, 6, s.volume.shape[2] / 2])
    for name, at in (("brain", centre), ("outside", corner)):
        s.segments.add(name)
        s.apply("paint", at_ras=at, radius_mm=6.0, mode="3d")
    return s


def test_accepting_a_preview_made_before_set_params_is_refused(small_image):
    s = _seeded(small_image)
    s.set_params("grow", padding_mm=2.0)
    s.preview("grow")
    before = s.labels.array.copy()
    s.set_params("grow", padding_mm=30.0)
    assert s.params["grow"].padding_mm == 30.0
    with pytest.raises(ToolError, match=r"grow: the options changed since the preview was made "
                                        r"\(padding_mm 2\.0 -> 30\.0\); preview again"):
        s.accept_preview()
    assert np.array_equal(s.labels.array, before) and s.pending_preview is None
    s.preview("grow")
    s.accept_preview()
    with_30 = s.labels.array.copy()
    s.undo()
    s.preview("grow", padding_mm=2.0)
    s.accept_preview()
    assert (with_30 > 0).sum() > 2 * (s.labels.array > 0).sum()   # the padding reported was used


def test_options_of_another_tool_or_set_to_the_same_leave_the_preview(small_image):
    s = _seeded(small_image)
    expected = s.preview("grow").full_array(s.labels.array)
    s.set_params("paint", radius_mm=9.0)
    s.set_params("grow", padding_mm=s.params["grow"].padding_mm)   # the panel writing back its value
    s.accept_preview()
    assert np.array_equal(s.labels.array, expected) and (expected != 0).sum() > 1000


def test_segments_named_in_set_params_stay_the_same_segments(small_image):
    """``set_params("logical", other="outside")`` kept the name: after a rename the session still
    reported it and the next Apply failed (no segment named 'outside'); a list of seed
    segments given to ``set_params("grow", ...)`` changed with the caller's list."""
    s = _seeded(small_image)
    brain, outside = s.segments["brain"], s.segments["outside"]
    s.set_params("logical", other="outside")
    s.segments.rename(outside.value, "background")
    assert s.params["logical"].other == outside.value
    s.segments.select(brain.value)
    s.apply("logical", operation="add")
    assert not (s.labels.array == outside.value).any() and (s.labels.array == brain.value).any()
    seeds = ["brain"]
    s.set_params("grow", segments=seeds)
    seeds.append("background")
    assert s.params["grow"].segments == [brain.value]
