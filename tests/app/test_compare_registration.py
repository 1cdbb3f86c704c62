"""What *Compare series side by side...* says of a rigid registration (``app.compare_registration``):
how far it moved and turned the series and how well the head outlines overlap after it, and why
it looks wrong: the outlines apart (a 30 mm shift of a 54 mm head), a turn past 30 degrees, a
shift past 50 mm; nothing for a 2 mm shift."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.app.compare_registration import registration_doubts, rigid_move

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


def _head() -> np.ndarray:
    """An ellipsoid 'head' (semi-axes 27, 24, 20 mm) in a 40^3 grid of 2 mm voxels."""
    ijk = np.moveaxis(np.mgrid[0:40, 0:40, 0:40], 0, -1) * 2.0 - 39.0
    return (((ijk / [27.0, 24.0, 20.0]) ** 2).sum(-1) < 1.0).astype(np.float32) * 100.0


def _moved(shift=(0.0, 0.0, 0.0), degrees: float = 0.0) -> np.ndarray:
    """A transform turning ``degrees`` about S through the grid's centre, then shifting."""
    centre = AFFINE @ np.array([19.5, 19.5, 19.5, 1.0])
    turn = np.eye(4)
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    turn[:2, :2] = [[c, -s], [s, c]]
    turn[:3, 3] = centre[:3] - turn[:3, :3] @ centre[:3] + np.asarray(shift)
    return turn


def test_rigid_move_measures_the_shift_at_the_centre_and_the_turn():
    shift, turn = rigid_move(_moved((3.0, 4.0, 0.0), 40.0), (AFFINE @ [19.5, 19.5, 19.5, 1])[:3])
    assert shift == pytest.approx(5.0) and turn == pytest.approx(40.0)


@pytest.mark.parametrize("shift, degrees, said, doubt", [
    ((2.0, 0.0, 0.0), 0.0, "moved 2 mm, turned 0 degrees, head outlines overlap 9", []),
    ((30.0, 0.0, 0.0), 0.0, "moved 30 mm", ["the head outlines overlap by"]),
    ((0.0, 0.0, 0.0), 40.0, "turned 40 degrees", ["it turned the series 40 degrees"]),
    ((0.0, 0.0, 55.0), 0.0, "moved 55 mm", ["the head outlines overlap by",
                                            "it moved the series 55 mm"]),
])
def test_doubts(shift, degrees, said, doubt):
    head = _head()
    done, doubts = registration_doubts(head, AFFINE, head, AFFINE, _moved(shift, degrees))
    assert said in done
    assert len(doubts) == len(doubt) and all(d.startswith(w) for d, w in zip(doubts, doubt))
