"""Accepting a preview that changes no voxel records nothing (3D Slicer records no undo step for
a no-op): an AI click inside a lesion already drawn, Grow from seeds or Fill between slices run
again, Threshold applied twice. Until session 33 the AI click recorded an undo step that undid
nothing (the first Ctrl+Z did nothing visible) and added "+ AI click" to the segment's *From*."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.interactive.baseline import GrowPromptModel
from neuroview.app.session import Session
from neuroview.core.volume import Volume

CUBE = (slice(12, 24), slice(12, 24), slice(6, 14))
CENTRE = (17.5, 17.5, 9.5)   # RAS mm of the cube's centre (identity grid)


@pytest.fixture
def session(tmp_path):
    """A bright cube on a dark 40x40x20 image; segment "lesion" drawn over it by Threshold (a
    person's tool: *From* reads "drawn")."""
    image = np.full((40, 40, 20), 100, np.float32)
    image[CUBE] = 600
    s = Session(Volume(image, np.eye(4)), tmp_path / "ws")
    s.segments.add("lesion")
    assert s.apply("threshold", low=400, high=700) is not None
    return s


def test_an_ai_click_inside_the_drawn_lesion_records_nothing(session):
    value = session.active_segment
    labels, steps = session.labels.array.copy(), len(session.history)
    segment = session.labels.segments.get(value)
    assert session.segments.source_cell(value)[0] == "drawn"
    preview = session.prompt(value, point=CENTRE, model=GrowPromptModel())
    assert np.array_equal(preview.full_array(session.labels.array), labels)   # voxel for voxel
    assert session.accept_preview() is None
    assert len(session.history) == steps and session.pending_preview is None
    assert session.prompting is None                       # the object ended all the same
    assert session.labels.segments.get(value) == segment   # no prompts, no model added
    assert session.segments.source_cell(value)[0] == "drawn"   # not "drawn + AI click"
    assert np.array_equal(session.labels.array, labels)
    session.undo()                                         # the first Ctrl+Z takes the threshold back
    assert not session.labels.array.any()


def test_an_ai_click_that_adds_voxels_still_records_its_step(session):
    value = session.active_segment
    session.undo()                                         # the cube not drawn: the click adds it
    preview = session.prompt(value, point=CENTRE, model=GrowPromptModel())
    assert (preview.full_array(session.labels.array) == value).sum() == 12 * 12 * 8
    steps = len(session.history)
    assert session.accept_preview() is not None and len(session.history) == steps + 1
    assert session.segments.source_cell(value)[0] == "AI click"


def test_threshold_grow_and_fill_between_slices_that_change_nothing_record_nothing(session):
    steps = len(session.history)
    assert session.apply("threshold", low=400, high=700) is None      # the same range again
    session.segments.add("around")
    session.apply("paint", at_ras=(3, 3, 10), radius_mm=1.5, mode="3d")   # background seeds
    steps = len(session.history)
    session.preview("grow", padding_mm=100)   # the whole image: grown once and for all
    assert session.accept_preview() is not None and len(session.history) == steps + 1
    grown = session.labels.array.copy()
    preview = session.preview("grow", padding_mm=100)      # grown already: the same answer
    assert np.array_equal(preview.full_array(session.labels.array), grown)
    assert session.accept_preview() is None and len(session.history) == steps + 1
    preview = session.preview("interpolate")               # every slice already filled
    assert np.array_equal(preview.full_array(session.labels.array), grown)
    assert session.accept_preview() is None
    assert len(session.history) == steps + 1 and np.array_equal(session.labels.array, grown)
