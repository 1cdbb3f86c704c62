"""Geometry of voxel grids in world space (RAS, millimetres).

Every function names the frames it converts between. ``ijk_to_ras`` is a 4x4 affine mapping voxel
indices ``[i, j, k]`` (voxel centres at integer indices) to RAS millimetres, as nibabel gives it.
"""

from __future__ import annotations

import numpy as np

# Axis letters of RAS space: the positive and negative direction of each world axis.
_POSITIVE = "RAS"
_NEGATIVE = "LPI"

# LPS (DICOM) <-> RAS (neuroview): negate the first two world axes. The matrix is its own inverse.
LPS_TO_RAS = np.diag([-1.0, -1.0, 1.0, 1.0])

OBLIQUE_TOLERANCE = 1e-3
"""A voxel axis whose direction deviates from a world axis by more than this (cosine) is oblique."""
TIE_BREAK_RAS = np.array([1.3e-4, 1.7e-4, 1.9e-4])
"""The tie rule: a point exactly halfway between two voxels belongs to the one on the +RAS side
(right, anterior, superior), whatever the storage order (RAS or LPS). The slice views, the brush,
fill and the status bar all round through :func:`nearest_ijk`, so a crosshair between two slices
paints the slice the views draw."""


def spacing_from_affine(ijk_to_ras: np.ndarray) -> tuple[float, float, float]:
    """Voxel size in mm along i, j, k: the lengths of the affine's first three columns."""
    lengths = np.linalg.norm(np.asarray(ijk_to_ras, dtype=float)[:3, :3], axis=0)
    return tuple(float(x) for x in lengths)


PERPENDICULAR = 1e-4
"""Two voxel axes whose direction cosines' dot product is under this are perpendicular."""


def perpendicular_axes(linear: np.ndarray) -> bool:
    """True when the voxel axes of a 3x3 ``ijk_to_ras`` (or its 4x4) are perpendicular to each
    other (:data:`PERPENDICULAR`): a rotated grid's are, a sheared (gantry-tilted) grid's not."""
    linear = np.asarray(linear, dtype=float)[:3, :3]
    unit = linear / np.linalg.norm(linear, axis=0)
    return bool(np.all(np.abs(unit.T @ unit - np.eye(3)) < PERPENDICULAR))


def shear_axis(linear: np.ndarray) -> int | None:
    """The axis of a gantry tilt's shear in a 3x3 ``ijk_to_ras`` (or its 4x4): the one not
    perpendicular to the other two, which are perpendicular to each other (the slice plane's);
    the third axis first, as a DICOM series stacks its slices (a tilt's shear also reads as the
    column axis' shear). None for a grid without shear, or a shear that no tilt makes."""
    linear = np.asarray(linear, dtype=float)[:3, :3]
    unit = linear / np.linalg.norm(linear, axis=0)
    cosines = np.abs(unit.T @ unit)
    for axis in (2, 0, 1):
        a, b = (n for n in range(3) if n != axis)
        if cosines[a, b] < PERPENDICULAR and max(cosines[axis, a], cosines[axis, b]) >= PERPENDICULAR:
            return axis
    return None


def stated_spacing(ijk_to_ras: np.ndarray) -> tuple[float, float, float]:
    """Voxel size in mm as a scanner states it and listings show it: :func:`spacing_from_affine`,
    except that a gantry-tilted grid's slice axis gives the distance between its slice planes
    (along their normal), not the sheared step from one slice's centre to the next (the table's
    travel: 5.18 mm for 5 mm slices at 15 degrees). dcm2niix writes this distance as the NIfTI's
    slice spacing (``pixdim[3]``, "distance between slices, not distance along bed"); the geometry
    (``ijk_to_ras``) keeps the sheared step."""
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    sizes = list(spacing_from_affine(ijk_to_ras))
    axis = shear_axis(linear)
    if axis is not None:
        a, b = (n for n in range(3) if n != axis)
        normal = np.cross(linear[:, a], linear[:, b])
        sizes[axis] = float(abs(normal @ linear[:, axis]) / np.linalg.norm(normal))
    return tuple(sizes)


def voxel_volume_mm3(grid) -> float:
    """One voxel's volume in mm^3. ``grid`` is the ``ijk_to_ras`` affine (4x4, or its 3x3 part):
    the absolute determinant of its 3x3 part; or, for an orthogonal grid known only by its voxel
    sizes, the three sizes: their product. The product of the sizes of a sheared grid (a gantry
    tilt) counts each voxel 1 / cos(tilt) too large (3.5 % at 15 degrees)."""
    grid = np.asarray(grid, dtype=float)
    if grid.ndim == 2:
        return abs(float(np.linalg.det(grid[:3, :3])))
    return float(np.prod(grid))


def pixel_area_mm2(grid, axis: int) -> float:
    """One pixel's area in mm^2 in a slice across voxel axis ``axis``, ``grid`` as
    :func:`voxel_volume_mm3` takes it: the parallelogram the other two columns of the affine span
    (the norm of their cross product); for an orthogonal grid's voxel sizes, the product of the
    other two. The product of the two sizes counts a sheared slice's pixel too large."""
    grid = np.asarray(grid, dtype=float)
    a, b = (n for n in range(3) if n != axis)
    if grid.ndim == 2:
        return float(np.linalg.norm(np.cross(grid[:3, a], grid[:3, b])))
    return float(grid[a] * grid[b])


def ball_reach(ijk_to_ras: np.ndarray, radius_mm: float) -> np.ndarray:
    """How many voxels (fractional) a ball of ``radius_mm`` around a voxel centre reaches along
    i, j and k: the radius times the norm of that row of the inverse 3x3 part. That is
    ``radius_mm`` / the voxel size on a grid without shear, more on a sheared (gantry-tilted) one,
    whose ball leans across the sheared axis' index planes."""
    inverse = np.linalg.inv(np.asarray(ijk_to_ras, dtype=float)[:3, :3])
    return float(radius_mm) * np.linalg.norm(inverse, axis=1)


def voxel_volume_ml(ijk_to_ras: np.ndarray) -> float:
    """One voxel's volume in mL: :func:`voxel_volume_mm3` of the affine, / 1000."""
    return voxel_volume_mm3(np.asarray(ijk_to_ras, dtype=float)[:3, :3]) / 1000.0


def voxel_sizes(grid) -> tuple[float, float, float]:
    """Voxel size in mm along i, j, k of a ``grid`` as :func:`voxel_volume_mm3` takes it."""
    grid = np.asarray(grid, dtype=float)
    return spacing_from_affine(grid) if grid.ndim == 2 else tuple(float(x) for x in grid)


def direction_cosines(ijk_to_ras: np.ndarray) -> np.ndarray:
    """3x3 matrix whose columns are unit vectors of the i, j, k axes in RAS."""
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    return linear / np.linalg.norm(linear, axis=0, keepdims=True)


def orientation_code(ijk_to_ras: np.ndarray) -> str:
    """Three letters naming where each voxel axis points (nibabel's ``aff2axcodes``): e.g. ``RAS``.

    ``LPS`` means i grows towards patient Left, j towards Posterior, k towards Superior. For oblique
    axes the closest world direction is named; :func:`is_oblique` tells whether that is exact.
    """
    cosines = direction_cosines(ijk_to_ras)
    letters = []
    used: set[int] = set()
    # Assign each voxel axis to the world axis it is closest to, strongest alignment first.
    order = np.argsort(-np.max(np.abs(cosines), axis=0))
    assigned = [""] * 3
    for axis in order:
        candidates = np.argsort(-np.abs(cosines[:, axis]))
        world = next(int(w) for w in candidates if int(w) not in used)
        used.add(world)
        sign = cosines[world, axis]
        assigned[axis] = _POSITIVE[world] if sign >= 0 else _NEGATIVE[world]
    letters.extend(assigned)
    return "".join(letters)


_VIEW_ALONG = {"R": "sagittal", "L": "sagittal", "A": "coronal", "P": "coronal", "S": "axial",
               "I": "axial"}


def shown_slice_numbers(code: str, slices, count: int) -> tuple[str, list[int]]:
    """The view that shows a grid's voxel slices along ``k`` (its orientation ``code``, as
    :func:`orientation_code` gives it) and the numbers its corner gives the 0-based ``slices``,
    in order: the views count from the I, P or L end (``app.view_state.ViewState.slice_number``),
    so where ``k`` runs towards I, P or L slice ``k`` is number ``count - k``, not ``k + 1``
    (a coronal series' slices run towards P)."""
    letter = code[2]
    return _VIEW_ALONG[letter], sorted(k + 1 if letter in _POSITIVE else count - k for k in slices)


def is_oblique(ijk_to_ras: np.ndarray, tolerance: float = OBLIQUE_TOLERANCE) -> bool:
    """True when some voxel axis is not parallel to a world axis."""
    cosines = np.abs(direction_cosines(ijk_to_ras))
    return bool(np.any(np.max(cosines, axis=0) < 1.0 - tolerance))


PLANES = ("sagittal", "coronal", "axial")
"""A slice plane's name by the world axis (x, y, z) its normal lies nearest."""


def slice_plane_normal(linear: np.ndarray, axis: int) -> np.ndarray:
    """The unit normal of the plane spanned by the two grid axes other than ``axis`` (``linear``:
    the grid's 3x3 ijk-to-RAS): a sheared grid's slice plane, which its ``axis`` steps across."""
    a, b = (n for n in range(3) if n != axis)
    normal = np.cross(linear[:, a], linear[:, b])
    return normal / np.linalg.norm(normal)


def gantry_tilt(ijk_to_ras: np.ndarray) -> tuple[str, float] | None:
    """The plane and the angle (degrees) of a gantry-tilted grid: sheared (:func:`shear_axis`),
    its slices stepping along a world axis (the table's travel) and its slice plane's normal
    nearest that axis, tilted from it by the angle; ``("axial", 15.0)`` for a head CT tilted 15
    degrees. ``None`` for a grid without shear, a shear no tilt makes, or a tilt under 0.05."""
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    axis = shear_axis(linear)
    if axis is None:
        return None
    normal = slice_plane_normal(linear, axis)
    step = linear[:, axis] / np.linalg.norm(linear[:, axis])
    table = int(np.argmax(np.abs(step)))
    angle = float(np.degrees(np.arccos(min(1.0, abs(float(normal @ step))))))
    if abs(step[table]) < 1.0 - OBLIQUE_TOLERANCE or int(np.argmax(np.abs(normal))) != table \
            or round(angle, 1) == 0:
        return None
    return PLANES[table], angle


def orientation_label(ijk_to_ras: np.ndarray) -> str:
    """The orientation as listings show it: the code (:func:`orientation_code`), ``(oblique)``
    after it when an axis is tilted (:func:`is_oblique`), ``(axial, gantry tilt 15°)`` for a
    gantry-tilted CT (:func:`gantry_tilt`), which read ``LPS (oblique)`` until session 44 though
    its slices are axial ones, tilted as dcm2niix and the scanner (GantryDetectorTilt) say."""
    code = orientation_code(ijk_to_ras)
    tilt = gantry_tilt(ijk_to_ras)
    if tilt is not None:
        return f"{code} ({tilt[0]}, gantry tilt {round(tilt[1], 1):g}°)"
    return code + (" (oblique)" if is_oblique(ijk_to_ras) else "")


FEW_POINTS = 4096
""":func:`apply_linear` multiplies fewer points plainly: both forms take microseconds there, and
for one point numpy's matrix-vector path rounds the last bit differently when it must convert
a float32 matrix."""


def apply_linear(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``points @ matrix.T`` (points ``(..., n)``, matrix ``(m, n)``; result ``(..., m)``), equal
    bit for bit; from :data:`FEW_POINTS` points on computed as ``(matrix @ points.T).T`` (the
    result is then a transposed view).

    Both make the same BLAS call with its dimensions swapped; OpenBLAS spreads the first over
    its threads, and that is slow: 20-30x slower from 1e6 points on, on this project's 2 cores
    idle or busy (erratic: sometimes within 1.5x); at one BLAS thread they are equal
    (``bench/affine_points.py``)."""
    points = np.asarray(points)
    matrix = np.asarray(matrix)
    if points.size < FEW_POINTS * points.shape[-1]:
        return points @ matrix.T
    flat = points.reshape(-1, points.shape[-1])
    return (matrix @ flat.T).T.reshape(points.shape[:-1] + matrix.shape[:1])


def apply_affine(affine: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Map points (``(..., 3)`` array) through a 4x4 affine."""
    affine = np.asarray(affine, dtype=float)
    return apply_linear(affine[:3, :3], np.asarray(points, dtype=float)) + affine[:3, 3]


def tie_broken_ijk(ras_to_ijk: np.ndarray, p_ras) -> np.ndarray:
    """Fractional voxel coordinates of RAS points nudged by :data:`TIE_BREAK_RAS`: rounding them
    (``np.rint``) gives the nearest voxel, halfway points on the +RAS side. The slice views round
    these coordinates of their pixel centres; :func:`nearest_ijk` rounds one point's."""
    return apply_affine(ras_to_ijk, np.asarray(p_ras, dtype=float) + TIE_BREAK_RAS)


def nearest_ijk(ras_to_ijk: np.ndarray, p_ras) -> np.ndarray:
    """Integer index of the voxel nearest to each RAS point (``(..., 3)``), halfway points broken
    toward +RAS (:data:`TIE_BREAK_RAS`); may lie outside the grid."""
    return np.rint(tie_broken_ijk(ras_to_ijk, p_ras)).astype(int)


def nearest_voxel(ras_to_ijk: np.ndarray, shape, p_ras) -> tuple[int, int, int] | None:
    """The voxel drawn at one RAS point (:func:`nearest_ijk`), or ``None`` outside the grid."""
    ijk = nearest_ijk(ras_to_ijk, p_ras)
    if np.any(ijk < 0) or np.any(ijk >= np.asarray(shape[:3])):
        return None
    return tuple(int(v) for v in ijk)


def clamped_voxel(ras_to_ijk: np.ndarray, shape, p_ras) -> np.ndarray:
    """The voxel drawn at one RAS point (:func:`nearest_ijk`); outside the grid, the voxel at its
    edge nearest to it (each index clipped to the grid): where a navigate click or drag beyond the
    volume puts the crosshair, as ITK-SNAP's cursor stops at the image's edge."""
    return np.clip(nearest_ijk(ras_to_ijk, p_ras), 0, np.asarray(shape[:3]) - 1)


def affine_from_spacing(spacing, origin=(0.0, 0.0, 0.0), directions=None) -> np.ndarray:
    """Build an ``ijk_to_ras`` affine from spacing (mm), origin (RAS of voxel 0,0,0) and columns."""
    directions = np.eye(3) if directions is None else np.asarray(directions, dtype=float)
    affine = np.eye(4)
    affine[:3, :3] = directions * np.asarray(spacing, dtype=float)[None, :]
    affine[:3, 3] = origin
    return affine


def corners_ras(shape, ijk_to_ras: np.ndarray) -> np.ndarray:
    """RAS positions of the 8 corner voxel centres of a grid of ``shape`` (first three axes)."""
    ni, nj, nk = (int(n) - 1 for n in shape[:3])
    corners = np.array(
        [[i, j, k] for i in (0, ni) for j in (0, nj) for k in (0, nk)], dtype=float
    )
    return apply_affine(ijk_to_ras, corners)


def shear_mm(shape, ijk_to_ras: np.ndarray) -> float:
    """How far the nearest grid without shear puts a corner voxel of a grid of ``shape`` from its
    place (mm): the grid a NIfTI qform or an ITK image can hold, with the same origin and voxel
    sizes and the axes made orthogonal by polar decomposition (as nibabel's ``set_qform`` does).
    0 for a grid with orthogonal axes; a gantry tilt's shear moves the far corners by mm."""
    linear = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    zooms = np.linalg.norm(linear, axis=0)
    zooms = np.where(zooms > 0, zooms, 1.0)
    u, _, vt = np.linalg.svd(linear / zooms)
    sheared, orthogonal = np.eye(4), np.eye(4)
    sheared[:3, :3], orthogonal[:3, :3] = linear, (u @ vt) * zooms
    offsets = corners_ras(shape, sheared) - corners_ras(shape, orthogonal)
    return float(np.linalg.norm(offsets, axis=1).max())


def same_grid(shape_a, affine_a, shape_b, affine_b, tolerance_mm: float = 1e-3) -> bool:
    """True when two grids have the same shape and place every voxel at the same RAS point."""
    if tuple(shape_a[:3]) != tuple(shape_b[:3]):
        return False
    return bool(
        np.allclose(corners_ras(shape_a, affine_a), corners_ras(shape_b, affine_b), atol=tolerance_mm)
    )


def axis_reorder(shape_a, affine_a, shape_b, affine_b,
                 tolerance_mm: float = 1e-3) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """How grid a is grid b with its axes permuted or reversed (the same voxels in space, stored
    in another order: a mask saved LPS of an RAS image): ``(axes, flips)`` such that
    ``np.flip(np.transpose(a, axes), flips)`` lies on grid b voxel for voxel; None when it is not."""
    a_to_b = np.linalg.inv(np.asarray(affine_b, dtype=float)) @ np.asarray(affine_a, dtype=float)
    linear = np.rint(a_to_b[:3, :3])
    if not (np.all(np.abs(linear).sum(axis=0) == 1) and np.all(np.abs(linear).sum(axis=1) == 1)):
        return None
    axes = tuple(int(np.flatnonzero(row)[0]) for row in linear)   # b's axis r is a's axis axes[r]
    if tuple(int(shape_a[axis]) for axis in axes) != tuple(int(n) for n in shape_b[:3]):
        return None
    flips = tuple(r for r in range(3) if linear[r, axes[r]] < 0)
    b_to_a = np.zeros((4, 4))   # the reordered array's index -> a's index
    b_to_a[3, 3] = 1.0
    for r, axis in enumerate(axes):
        flipped = r in flips
        b_to_a[axis, r] = -1.0 if flipped else 1.0
        b_to_a[axis, 3] = int(shape_b[r]) - 1 if flipped else 0.0
    reordered = np.asarray(affine_a, dtype=float) @ b_to_a
    return (axes, flips) if same_grid(shape_b, reordered, shape_b, affine_b, tolerance_mm) else None


def grid_mismatch(what: str, shape_a, affine_a, shape_b, affine_b) -> str:
    """Why grid a (``what``: "label map", "mask") is not grid b, the image's, in one sentence: its
    shape, or for the same shape how far its corner voxels lie from the image's (a shift, another
    orientation or voxel size), so a mask of the right size but in the wrong place is told apart.
    Each corner is measured to the nearest of the other grid's: a map stored with an axis reversed
    has its first voxel at the image's last, and corner 0 to corner 0 measured the whole extent."""
    shape_a, shape_b = tuple(int(n) for n in shape_a[:3]), tuple(int(n) for n in shape_b[:3])
    if shape_a != shape_b:
        return f"{what} of shape {shape_a} does not lie on the image grid {shape_b}"
    corners_a, corners_b = corners_ras(shape_a, affine_a), corners_ras(shape_b, affine_b)
    apart = np.linalg.norm(corners_a[:, None] - corners_b[None], axis=2)   # each corner to each
    offset = max(apart.min(axis=0).max(), apart.min(axis=1).max())
    if offset < 0.005:   # "up to 0.00 mm" (s47 walk): the same voxels, in another order
        return (f"{what} holds the image's voxels stored in another axis order or direction (its "
                "affine permutes or reverses the image's axes)")
    return (f"{what} has the image's shape {shape_a} but lies elsewhere in space: its corner "
            f"voxels are up to {offset:.2f} mm from the image's")
