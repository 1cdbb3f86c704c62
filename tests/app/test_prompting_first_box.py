"""A box or lasso as the first AI click prompt on a segment that holds voxels only adds, within
it (Shift: only removes), whatever the backend answers: the rule is in ``PromptSession.apply``,
where the window's tool and ``Session.prompt`` merge every backend's answer (the bundled
network's, nnInteractive's).

The backend here is a stand-in that answers as nnInteractive's box did on a proposal: the lesion
cut away in its whole box, and a slab of new voxels that reaches past the box's rectangle.
"""

import numpy as np
import pytest

from neuroview import Session
from neuroview.ai.interactive.engine import PromptResult
from neuroview.core import geometry
from neuroview.core.volume import Volume

SHAPE = (40, 40, 20)
AFFINE = geometry.affine_from_spacing((0.5, 0.5, 3.0), (-10.0, -10.0, -30.0), np.eye(3))


class _Cutting:
    """A backend's segmenter that answers every prompt with ``answer`` on the whole volume."""

    def __init__(self, answer):
        self.answer, self.followed = answer, []

    def run(self, prompts, previous=None, keep_out=False, cancel=None):
        return PromptResult((0, 0, 0), self.answer.astype(np.float32), None, 1, 0.0)

    def follow(self, lo, mask):
        self.followed.append((tuple(lo), mask.copy()))


class _Backend:
    """A promptable model with its own segmenter (as nnInteractive is)."""

    name = "cutting@1"

    def __init__(self, answer):
        self.segmenter = _Cutting(answer)

    def segmenter_for(self, array, ijk_to_ras):
        return self.segmenter


def _ras(ijk):
    return tuple(AFFINE[:3, :3] @ np.asarray(ijk, float) + AFFINE[:3, 3])


@pytest.fixture
def held():
    """A session whose segment holds a lesion (voxels i 10-29, j 10-19, k 8-11), the backend's
    answer (the lesion gone, voxels i 8-31, j 22-27, k 8-11 added) and the box's voxel corners
    (i 12-27, j 15-25 on slice k 10: the lesion's upper half and the new part's lower half)."""
    session = Session(Volume(np.full(SHAPE, 100.0, np.float32), AFFINE))
    segment = session.segments.add("lesion")
    lesion = np.zeros(SHAPE, bool)
    lesion[10:30, 10:20, 8:12] = True
    session.labels.array[lesion] = segment.value
    answer = np.zeros(SHAPE, bool)
    answer[8:32, 22:28, 8:12] = True
    return session, segment, lesion, answer, ((12, 15, 10), (27, 25, 10))


@pytest.mark.parametrize("region", ["box", "lasso"])
def test_a_first_box_on_a_segment_with_a_lesion_keeps_every_voxel_and_adds_only_inside(held, region):
    session, segment, lesion, answer, (lo, hi) = held
    backend = _Backend(answer)
    if region == "box":
        prompt = {"box": (_ras(lo), _ras(hi))}
    else:
        prompt = {"lasso": [_ras((i, j, lo[2])) for i, j in ((lo[0], lo[1]), (hi[0], lo[1]),
                                                             (hi[0], hi[1]), (lo[0], hi[1]))]}
    preview = session.prompt(segment, plane="axial", model=backend, **prompt)
    shown = preview.full_array(session.labels.array) == segment.value
    assert int((lesion & ~shown).sum()) == 0           # the answer cut all 800; none is lost
    i, j, _k = np.indices(SHAPE)
    within = answer & (i >= lo[0] - 1) & (i <= hi[0] + 1) & (j <= hi[1] + 1)   # with a voxel of slack
    inner = answer & (i > lo[0]) & (i < hi[0]) & (j < hi[1])          # well inside the outline
    assert int(inner.sum()) == 168 and not (inner & ~shown).any() and not (shown & ~lesion & ~within).any()
    if region == "box":
        np.testing.assert_array_equal(shown, lesion | within)    # only what the box holds is added
    assert int((answer & ~within).sum()) == 216              # the answer's voxels past the box: not added
    # nnInteractive's session is told what shows, so the next prompt goes on from it
    (follow_lo, followed), = backend.segmenter.followed
    assert follow_lo == (0, 0, 0)
    np.testing.assert_array_equal(followed, shown)
    session.accept_preview()
    np.testing.assert_array_equal(session.labels.array == segment.value, shown)


def test_an_exclude_box_on_a_segment_with_a_lesion_only_removes_inside_it(held):
    """Shift+box over the lesion's upper half: the answer took the whole lesion and added a slab;
    only the lesion's voxels within the box go (before: all 800, and 576 were added)."""
    session, segment, lesion, answer, (lo, hi) = held
    shown = session.prompt(segment, box=(_ras(lo), _ras(hi)), include=False, plane="axial",
                           model=_Backend(answer)).full_array(session.labels.array) == segment.value
    i, j, _k = np.indices(SHAPE)
    within = (i >= lo[0] - 1) & (i <= hi[0] + 1) & (j >= lo[1] - 1) & (j <= hi[1] + 1)
    np.testing.assert_array_equal(shown, lesion & ~within)
    assert int((lesion & within).sum()) == 432


def test_a_box_on_an_empty_segment_gets_the_answer_as_it_is(held):
    """The rule keeps what the segment held: on an empty segment there is nothing to keep."""
    session, segment, lesion, answer, (lo, hi) = held
    session.labels.array[:] = 0
    shown = session.prompt(segment, box=(_ras(lo), _ras(hi)), plane="axial",
                           model=_Backend(answer)).full_array(session.labels.array) == segment.value
    np.testing.assert_array_equal(shown, answer)


def test_a_click_after_the_box_gets_the_backends_answer(held):
    """Only the first prompt: a later click goes to the backend as before (the bundled network's
    own rules for clicks on a held mask are its engine's)."""
    session, segment, lesion, answer, (lo, hi) = held
    backend = _Backend(answer)
    session.prompt(segment, box=(_ras(lo), _ras(hi)), plane="axial", model=backend)
    shown = session.prompt(segment, point=_ras((20, 24, 10)), model=backend)\
        .full_array(session.labels.array) == segment.value
    assert int((answer & ~shown).sum()) == 0
