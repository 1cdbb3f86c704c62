"""A tool's remembered options never pin the segment it writes (issue #10, item 1).

Each test: segments A and B, A active while an option is changed with ``set_params``, then B
selected and the tool run without naming a segment. The voxels must change in B, never in A.
"""

import numpy as np
import pytest

from neuroview import Session
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume


@pytest.fixture
def session():
    image = np.zeros((40, 40, 12), np.float32)
    image[5:35, 5:35, :] = 100.0
    s = Session(Volume(image, np.diag([1.0, 1.0, 2.0, 1.0])))
    yield s
    s.close()


def ras(ijk):
    return (float(ijk[0]), float(ijk[1]), 2.0 * ijk[2])


def box(s, value, lo, hi):
    s.labels.array[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]] = value
    s.counts.invalidate()


def a_then_b(s, tool, **option):
    """Add A, change an option while A is active, add B, select B (the issue's recipe)."""
    a = s.segments.add("A")
    s.set_params(tool, **option)
    b = s.segments.add("B")
    s.segments.select(a)
    s.segments.select(b)
    return a.value, b.value


def test_issue_recipe_paint_goes_to_the_selected_segment(session):
    s = session
    s.segments.add("A")
    s.set_params("paint", radius_mm=8)
    b = s.segments.add("B")
    s.segments.select(b)
    s.press("paint", ras((20, 20, 6)))
    s.release()
    assert (s.labels.array == b.value).sum() > 100
    assert not (s.labels.array == s.segments["A"].value).any()
    assert s.params["paint"].segment is None  # the remembered options hold no segment


@pytest.mark.parametrize("option", [dict(radius_mm=3.0), dict(mode="2d"), dict(mode="3d"),
                                    dict(intensity_low=50.0), dict(intensity_high=500.0)])
def test_every_brush_option_keeps_the_active_segment(session, option):
    a, b = a_then_b(session, "paint", **option)
    session.apply("paint", at_ras=ras((20, 20, 6)))
    assert (session.labels.array == b).any()
    assert not (session.labels.array == a).any()


def test_erase_option_erases_the_selected_segment_only(session):
    s = session
    a, b = a_then_b(s, "erase", radius_mm=20.0)
    box(s, a, (10, 10, 4), (20, 30, 8))
    box(s, b, (20, 10, 4), (30, 30, 8))
    s.apply("erase", at_ras=ras((20, 20, 6)), mode="3d")
    assert (s.labels.array == a).sum() == 10 * 20 * 4  # A untouched
    assert (s.labels.array == b).sum() < 10 * 20 * 4


def test_erase_every_segment_is_a_remembered_option(session):
    s = session
    a, b = a_then_b(s, "erase", segment="all", radius_mm=20.0, mode="3d")
    box(s, a, (10, 10, 4), (20, 30, 8))
    box(s, b, (20, 10, 4), (30, 30, 8))
    s.apply("erase", at_ras=ras((20, 20, 6)))
    assert (s.labels.array == a).sum() < 10 * 20 * 4
    assert (s.labels.array == b).sum() < 10 * 20 * 4
    assert s.params["erase"].segment == "all"


def test_an_erase_that_changes_nothing_names_the_labels_it_left(session):
    """What the window tells the user after an erase stroke that did nothing (Session.left_alone)."""
    s = session
    a, b = a_then_b(s, "erase", radius_mm=4.0, mode="3d")   # B selected
    box(s, a, (10, 10, 4), (30, 30, 8))
    assert s.apply("erase", at_ras=ras((20, 20, 6))) is None          # only B is erased: nothing
    assert s.left_alone == {a}
    s.segments["A"].locked = True
    assert s.apply("erase", at_ras=ras((20, 20, 6)), segment="all") is None   # A is locked
    assert s.left_alone == {a}
    s.segments["A"].locked = False
    assert s.apply("erase", at_ras=ras((20, 20, 6)), segment="all") is not None
    assert s.left_alone == set()
    assert s.apply("erase", at_ras=ras((5, 5, 6))) is None            # over background: nothing left
    assert s.left_alone == set()


@pytest.mark.parametrize("option", [dict(mode="3d"), dict(tolerance=10.0), dict(intensity_low=50.0)])
def test_fill_fills_the_selected_segment(session, option):
    a, b = a_then_b(session, "fill", **option)
    session.apply("fill", at_ras=ras((20, 20, 6)))
    assert session.labels.array[20, 20, 6] == b
    assert not (session.labels.array == a).any()


@pytest.mark.parametrize("tool, option", [
    ("islands", dict(operation="remove_small", min_voxels=20)),
    ("islands", dict(operation="keep_largest")),
    ("margin", dict(margin_mm=2.0)),
    ("smoothing", dict(method="opening", kernel_mm=3.0)),
    ("logical", dict(operation="clear")),
])
def test_one_shot_tools_change_the_selected_segment(session, tool, option):
    s = session
    a, b = a_then_b(s, tool, **option)
    for value, i0 in ((a, 6), (b, 22)):
        box(s, value, (i0, 6, 2), (i0 + 10, 16, 8))      # a big island
        box(s, value, (i0, 25, 5), (i0 + 1, 26, 6))      # and a one-voxel island
    before = s.labels.array.copy()
    step = s.apply(tool)
    assert step is not None
    assert np.array_equal(s.labels.array == a, before == a)   # A exactly as it was
    assert not np.array_equal(s.labels.array == b, before == b)


def test_logical_other_is_an_option_the_target_is_the_active_segment(session):
    s = session
    a, b = a_then_b(s, "logical", operation="add", other="A")
    box(s, a, (6, 6, 2), (16, 16, 8))
    box(s, b, (22, 6, 2), (30, 16, 8))
    s.apply("logical")  # B := B OR A
    assert not (s.labels.array == a).any()
    assert (s.labels.array == b).sum() == 10 * 10 * 6 + 8 * 10 * 6


def test_interpolate_proposes_the_selected_segment(session):
    s = session
    a, b = a_then_b(s, "interpolate", view=(0.0, 0.0, 1.0))
    box(s, b, (10, 10, 2), (20, 20, 3))
    box(s, b, (10, 10, 8), (20, 20, 9))
    preview = s.preview("interpolate")
    s.accept_preview()
    assert preview is not None
    assert (s.labels.array[:, :, 5] == b).sum() == 100
    assert not (s.labels.array == a).any()


def test_grow_options_hold_no_segment(session):
    s = session
    a, b = a_then_b(s, "grow", padding_mm=4.0)
    assert s.params["grow"].segments is None
    box(s, a, (8, 8, 4), (10, 10, 6))
    box(s, b, (30, 30, 4), (32, 32, 6))
    assert s.preview("grow") is not None  # seeds of every segment, none pinned
    s.accept_preview()
    assert np.isin(s.labels.array, [a, b]).sum() > 16


def test_set_params_refuses_to_remember_a_target_segment(session):
    session.segments.add("A")
    with pytest.raises(ToolError, match="segments.select"):
        session.set_params("paint", segment="A")
    with pytest.raises(ToolError, match="segments.select"):
        session.set_params("margin", segment=1)
