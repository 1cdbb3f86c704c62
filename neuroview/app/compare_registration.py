"""Whether the rigid registration of *Compare series side by side...* (``ui.compare_window``) looks
right: two series of one study lie within a few millimetres of each other (the head moved in the
coil between them), so a registration that left their heads' outlines apart, or moved one series
far or turned it much, more likely found another fit (another body part, a header turned) than the
patient's movement. No Qt.

The outline check is the follow-up's (:func:`~neuroview.app.followup_checks.head_overlap`, warned
under :data:`~neuroview.app.followup_checks.HEAD_OVERLAP_MIN`: registrations that worked gave
0.987-0.993, one that did not 0.840). The turn and shift limits are wider than a head turns or
moves in a head coil between two series (a judgement, not a measured figure): a registration
beyond them is said to be doubtful even where the outlines agree (a round head turned about its
own axis)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .followup_checks import HEAD_OVERLAP_MIN, head_overlap

TURN_MAX_DEGREES = 30.0
"""A registration that turns the series more than this is said to be doubtful."""
SHIFT_MAX_MM = 50.0
"""A registration that moves the image's centre more than this is said to be doubtful."""


def rigid_move(fixed_to_moving, centre_ras) -> tuple[float, float]:
    """``(mm, degrees)``: how far the transform moves the point ``centre_ras`` and by how much it
    turns (the angle of its rotation)."""
    matrix = np.asarray(fixed_to_moving, dtype=float)
    centre = np.asarray(centre_ras, dtype=float)
    shift = float(np.linalg.norm(matrix[:3, :3] @ centre + matrix[:3, 3] - centre))
    cosine = (float(np.trace(matrix[:3, :3])) - 1.0) / 2.0
    return shift, float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))))


def registration_doubts(fixed, fixed_ijk_to_ras, moving, moving_ijk_to_ras,
                        fixed_to_moving) -> tuple[str, list[str]]:
    """``(what it did, doubts)`` of a registration of ``moving`` onto ``fixed`` (arrays with their
    RAS affines): ``"moved 12 mm, turned 1 degree, head outlines overlap 99 %"`` and the reasons
    it looks wrong (none when it looks right)."""
    centre = np.asarray(fixed_ijk_to_ras, float) @ np.append((np.asarray(fixed.shape[:3]) - 1) / 2, 1)
    shift, turn = rigid_move(fixed_to_moving, centre[:3])
    overlap = head_overlap(SimpleNamespace(image=fixed, ijk_to_ras=fixed_ijk_to_ras),
                           SimpleNamespace(image=moving, ijk_to_ras=moving_ijk_to_ras),
                           fixed_to_moving)
    doubts = []
    if overlap < HEAD_OVERLAP_MIN:
        doubts.append(f"the head outlines overlap by {100 * overlap:.0f} % after it (registrations "
                      f"that worked gave 99 %)")
    if turn > TURN_MAX_DEGREES:
        doubts.append(f"it turned the series {turn:.0f} degrees")
    if shift > SHIFT_MAX_MM:
        doubts.append(f"it moved the series {shift:.0f} mm")
    done = (f"moved {shift:.0f} mm, turned {turn:.0f} degree{'' if round(turn) == 1 else 's'}, "
            f"head outlines overlap {100 * overlap:.0f} %")
    return done, doubts
