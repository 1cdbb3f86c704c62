"""Images of a series that a damaged header cannot place, left out before the series is split.

An image whose ImagePositionPatient is missing, NaN, infinite or beyond ``MAX_AFFINE_MM``, or
whose ImageOrientationPatient is missing or cannot orient it (NaN, a direction of length 0,
directions parallel or not perpendicular), among images that are placed: the image is left out,
named in a warning on each part of its series, and the others are placed by their positions.
This runs before the series is split by geometry and into stacks side by side
(:mod:`.stacks`), so a multi-stack spine with one damaged file gives the same parts as
without that file. Where half or more of the images of one matrix are damaged, none is left out:
:func:`.series.plan_stack` stacks them in acquisition order, as before.

dcm2niix 1.0.20260724 keeps such a file and sorts the series around it (8 slices with one
position NaN, infinite, 1e300 or missing: every time, slices out of place); one damaged file
scrambled the volume. A slice with an unusable orientation became a part of its own (a
one-slice series stacked without geometry), or, when it sorted first, sent every slice of the
series to acquisition order.
"""

from __future__ import annotations

import itertools
import os

from ...core.plural import plural
from ..header_check import MAX_AFFINE_MM
from .plane_values import orientation_problem, positions_usable
from .refs import FrameRef, all_set, position_of


def _matrix(ref: FrameRef) -> tuple:
    """Images told apart by their matrix, not their geometry: a reformat or a screen capture of
    another size in the series is judged among its own kind."""
    return ref.rows, ref.cols, ref.samples, ref.pixel_spacing


def _position_problem(position) -> bool:
    return position is None or not positions_usable([position])


def _orientation_reason(orientation) -> str:
    """Why an ImageOrientationPatient cannot orient its image ("missing", "not usable (...)"),
    or "" when it can."""
    if orientation is None:
        return "missing (or not six numbers)"
    problem = orientation_problem(orientation)
    return f"not usable ({problem})" if problem else ""


def _names(refs: list[FrameRef]) -> str:
    names = [os.path.basename(ref.path) + ("" if ref.frame is None else f" frame {ref.frame + 1}")
             for ref in refs]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _notes(bad_orientation: list[FrameRef], bad_position: list[FrameRef], kept: int) -> list[str]:
    placed = f": left out, the other {plural(kept, 'image')} placed by their positions"
    notes = []
    if bad_orientation:
        reasons = list(dict.fromkeys(_orientation_reason(ref.orientation) for ref in
                                     bad_orientation))
        reason = reasons[0] if len(reasons) == 1 else "missing or not usable"
        notes.append(f"ImageOrientationPatient {reason} in {_names(bad_orientation)}{placed}")
    if bad_position:
        notes.append(f"ImagePositionPatient missing or not usable (not finite, or beyond "
                     f"{MAX_AFFINE_MM:g} mm) in {_names(bad_position)}{placed}")
    return notes


def leave_out_unplaced(blocks: list[list[FrameRef]]) -> tuple[list[list[FrameRef]], dict, set]:
    """``blocks`` (of one series and kind, as :func:`.grouping.group_frames` holds them) without
    the images that cannot be placed, the warnings naming them: ``{matrix: [warning]}``
    (:func:`_matrix`), to be said on every part of that matrix, and the distinct positions of
    the frames kept (for :func:`.stacks.split_stacks`; empty when some were left out). Nothing
    is left out where every image can be placed (one pass over the distinct positions and
    orientations) or where half or more of the images of a matrix cannot."""
    positions = set(map(position_of, itertools.chain.from_iterable(blocks)))
    # the frames of a block differ only in place and time (Header.alike): one orientation each
    orientations = {block[0].orientation for block in blocks}
    if all_set(positions) and positions_usable(positions) and all_set(orientations) \
            and not any(map(orientation_problem, orientations)):
        return blocks, {}, positions  # nearly every series
    by_matrix: dict[tuple, list[FrameRef]] = {}
    for ref in itertools.chain.from_iterable(blocks):
        by_matrix.setdefault(_matrix(ref), []).append(ref)
    # judged once per distinct value (a NaN is never equal to another: each its own value)
    unplaced = {position for position in positions if _position_problem(position)}
    reasons: dict[int, str] = {}  # id of an orientation tuple: the frames of a file share one

    def unoriented(ref: FrameRef) -> bool:
        key = id(ref.orientation)
        if key not in reasons:
            reasons[key] = _orientation_reason(ref.orientation)
        return bool(reasons[key])

    left_out: set[int] = set()
    notes: dict[tuple, list[str]] = {}
    for matrix, found in by_matrix.items():
        bad_orientation = list(filter(unoriented, found))
        ids = set(map(id, bad_orientation))
        bad_position = [ref for ref in found if ref.position in unplaced and id(ref) not in ids]
        bad = len(bad_orientation) + len(bad_position)
        if not bad or 2 * bad >= len(found):
            continue  # every image placed, or too few: stacked in acquisition order
        left_out.update(ids, map(id, bad_position))
        notes[matrix] = _notes(bad_orientation, bad_position, len(found) - bad)
    if not left_out:
        return blocks, {}, set()
    kept = [[ref for ref in block if id(ref) not in left_out] for block in blocks]
    return [block for block in kept if block], notes, set()


def notes_for(refs: list[FrameRef], notes: dict) -> list[str]:
    """The warnings of :func:`leave_out_unplaced` that a part made of ``refs`` says."""
    return list(notes.get(_matrix(refs[0]), ())) if notes and refs else []
