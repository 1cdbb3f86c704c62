"""Whether a series' ImagePositionPatient, ImageOrientationPatient and spacings can place its
slices in space.

A damaged or hostile header may hold NaN, infinity, 1e300, zero or parallel direction vectors.
Used as they are, they gave a 4D series of one slice (every NaN position "the same place"), an
``ijk_to_ras`` of NaN or infinity (numpy's ``SVD did not converge`` as an internal error when
written), or a singular one refused in a line naming no file. :func:`.series.plan_stack` stacks
such slices as it stacks images without a position (acquisition order, LPS axes) and says why.
"""

from __future__ import annotations

import math
from typing import Optional

import numpy as np

from ...core.plural import plural
from ..header_check import MAX_AFFINE_MM

PERPENDICULAR_TOLERANCE = 0.01
"""Largest |cosine| between the row and column directions (about 0.6 degrees): DICOM's are
perpendicular; scanners' files are within 1e-5 (pydicom's and nibabel's test files: 1e-17)."""


MIN_VOXEL_MM = 1e-4
"""No voxel side is under a tenth of a micrometre: a pixel spacing of 1e-300 mm read as a length
made a grid whose directions numpy could not normalise (ten lines of its RuntimeWarnings, then
``ijk_to_ras is singular``, naming the folder; session 46)."""


def usable_mm(value: Optional[float]) -> bool:
    """A length (a pixel spacing, a slice thickness or gap) that can size a voxel: finite, at
    least ``MIN_VOXEL_MM`` and at most ``MAX_AFFINE_MM``."""
    return value is not None and math.isfinite(value) and MIN_VOXEL_MM <= value <= MAX_AFFINE_MM


def orientation_problem(orientation) -> str:
    """Why six ImageOrientationPatient values cannot orient a slice, or ""."""
    if not all(math.isfinite(v) for v in orientation):
        return "not finite"
    row, col = orientation[:3], orientation[3:]
    row_norm, col_norm = math.hypot(*row), math.hypot(*col)
    if row_norm < 1e-6 or col_norm < 1e-6:
        return "a direction of length 0"
    cosine = abs(sum(r * c for r, c in zip(row, col))) / (row_norm * col_norm)
    if cosine > 1 - 1e-9:
        return "the row and column directions are parallel"
    if cosine > PERPENDICULAR_TOLERANCE:
        angle = math.degrees(math.acos(min(cosine, 1.0)))
        return f"the row and column directions are {angle:.3g} degrees apart, not 90"
    return ""


def _position_usable(position) -> bool:
    return all(math.isfinite(v) and abs(v) <= MAX_AFFINE_MM for v in position)


def geometry_problem(orientation, points: np.ndarray) -> str:
    """Why ``orientation`` (the first frame's, which places the stack) and ``points`` (every
    frame's position, an n x 3 array) cannot place the slices, or ""."""
    problem = orientation_problem(orientation)
    if problem:
        values = ", ".join(f"{v:g}" for v in orientation)
        return f"ImageOrientationPatient ({values}) is not usable ({problem})"
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(points) <= MAX_AFFINE_MM).all(axis=1)  # NaN compares False
    if bad.any():
        return (f"ImagePositionPatient of {plural(int(bad.sum()), 'image')} is not usable (not finite, or "
                f"beyond {MAX_AFFINE_MM:g} mm)")
    return ""


def positions_usable(positions) -> bool:
    """Every position (3 values) finite and within ``MAX_AFFINE_MM``."""
    return all(map(_position_usable, positions))

