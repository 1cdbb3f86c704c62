"""The lesion list: connected components of one segment, with volume, longest diameter and position.

As Slicer's Segment Statistics (per island) and ITK-SNAP's connected-component list:

- **components** are found with ``cc3d`` in 26-connectivity (voxels touching by a face, an edge
  or a corner are one lesion) unless ``connectivity=6`` is asked for;
- **volume** (mL) is voxels x the voxel volume ``|det(ijk_to_ras[:3, :3])|``, so anisotropic and
  oblique grids are handled;
- **longest diameter** (mm) is the largest distance between the centres of two boundary voxels of
  the component, measured in RAS (so a tilted or anisotropic grid gives true millimetres). A
  one-voxel lesion has diameter 0. The farthest pair always lies on the convex hull of the
  boundary voxel centres, so only the hull's vertices are compared (``scipy.spatial.ConvexHull``
  of the voxels first or last along their rows, :func:`_row_ends`);
- **centroid** is the mean of the voxel centres, in RAS mm; **jump_ijk** is the lesion's own voxel
  nearest to that centroid (a crescent's centroid may lie outside it; the views jump to a voxel
  that is inside the lesion, in the spirit of Slicer's "jump to segment"), found by a search
  around the centroid that is exact on any grid, oblique or sheared (:func:`_nearest_voxel`).

No Qt: the Session, the CLI's ``--report`` and the window's Lesions panel use the same function.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from ..core.csv_text import spreadsheet_text
from ..core.geometry import apply_affine, nearest_ijk, voxel_volume_ml
from ..core.jobs import CancelToken, ProgressFn, check, report

CONNECTIVITY = 26
"""Default neighbourhood: 26 (faces, edges, corners) as ITK-SNAP and Slicer's islands effect."""


@dataclass(frozen=True)
class Component:
    """One connected component (lesion) of a segment."""

    index: int
    """1 = the largest component, 2 = the next, ... (ties: the lower voxel index first)."""
    voxels: int
    volume_ml: float
    diameter_mm: float
    """Longest distance between two boundary voxel centres, in RAS mm."""
    centroid_ras: tuple[float, float, float]
    jump_ijk: tuple[int, int, int]
    """The component's voxel nearest to its centroid (always inside the lesion)."""
    box: tuple[tuple[int, int, int], tuple[int, int, int]] = ((0, 0, 0), (0, 0, 0))
    """Voxel bounding box ``(lo, hi)``, ``hi`` exclusive."""

    def contains(self, mask: np.ndarray, ijk, connectivity: int = CONNECTIVITY,
                 origin=(0, 0, 0)) -> bool:
        """Whether voxel ``ijk`` belongs to this component of ``mask`` (the mask it was found in,
        whose voxel ``[0, 0, 0]`` is voxel ``origin`` of the image)."""
        import cc3d

        origin = np.asarray(origin)
        lo, hi = np.array(self.box[0]) - origin, np.array(self.box[1]) - origin
        ijk = np.asarray(ijk) - origin
        if np.any(ijk < lo) or np.any(ijk >= hi) or not mask[tuple(ijk)]:
            return False
        crop = tuple(slice(a, b) for a, b in zip(lo, hi))  # every path inside a component is in its box
        ids = cc3d.connected_components(np.ascontiguousarray(mask[crop]), connectivity=connectivity)
        return bool(ids[tuple(ijk - lo)] == ids[tuple(np.asarray(self.jump_ijk) - origin - lo)])


def voxel_ras(ijk, ijk_to_ras) -> np.ndarray:
    """RAS mm of voxel centre(s) ``ijk`` (shape (3,) or (n, 3))."""
    return apply_affine(ijk_to_ras, ijk)


SLAB_VOXELS = 1 << 22
""":func:`segment_box` compares about this many voxels at a time (4 MB of booleans)."""


def segment_box(labels: np.ndarray, value: int,
                cancel: CancelToken | None = None) -> tuple[slice, slice, slice] | None:
    """The voxel bounding box of ``labels == value`` (None where there is none), found slab by
    slab so no whole-map temporary is made (``labels == value`` of a 512x512x1000 map is 250 MiB);
    ``cancel`` is looked at between slabs."""
    step = max(1, SLAB_VOXELS // max(1, int(np.prod(labels.shape[1:]))))
    first = last = None
    hits_j = np.zeros(labels.shape[1], bool)
    hits_k = np.zeros(labels.shape[2], bool)
    for start in range(0, labels.shape[0], step):
        check(cancel)
        slab = labels[start:start + step] == value
        rows = slab.any(axis=(1, 2))
        if not rows.any():
            continue
        found = np.flatnonzero(rows)
        first = start + int(found[0]) if first is None else first
        last = start + int(found[-1])
        hits_j |= slab.any(axis=(0, 2))
        hits_k |= slab.any(axis=(0, 1))
    if first is None:
        return None
    j, k = np.flatnonzero(hits_j), np.flatnonzero(hits_k)
    return slice(first, last + 1), slice(int(j[0]), int(j[-1]) + 1), slice(int(k[0]), int(k[-1]) + 1)


def segment_components(labels: np.ndarray, value: int, ijk_to_ras,
                       connectivity: int = CONNECTIVITY, progress: ProgressFn | None = None,
                       cancel: CancelToken | None = None):
    """``(components, mask, origin)`` of the segment ``value`` in a label map, with no whole-map
    copy: ``mask`` is ``labels == value`` inside the segment's bounding box only, whose voxel
    ``[0, 0, 0]`` is voxel ``origin`` of the map (for :meth:`Component.contains`). ``progress``
    and ``cancel`` as :func:`find_components` takes them."""
    box = segment_box(labels, value, cancel)
    if box is None:
        return [], None, (0, 0, 0)
    origin = tuple(s.start for s in box)
    mask = labels[box] == value
    return find_components(mask, ijk_to_ras, connectivity, origin, progress, cancel), mask, origin


def find_components(mask: np.ndarray, ijk_to_ras, connectivity: int = CONNECTIVITY,
                    origin=(0, 0, 0), progress: ProgressFn | None = None,
                    cancel: CancelToken | None = None) -> list[Component]:
    """The connected components of a boolean ``mask`` on a grid, largest first. ``origin``: the
    image voxel of ``mask[0, 0, 0]`` when the mask is a crop (positions are the image's).
    ``progress`` hears each lesion measured; ``cancel`` is looked at before each lesion and
    between the steps of measuring one.

    Each lesion's box (``scipy.ndimage.find_objects``) is looked at a few times over: its voxel
    count and centroid from the box's sums along each axis (:func:`_count_and_centroid`), its
    diameter from the ends of its rows (:func:`_row_ends`), its jump voxel near the centroid
    (:func:`_nearest_voxel`). Until session 43 every voxel of a lesion was listed and mapped to
    RAS: a body-sized segment of a 512x512x300 CT took 68 s and 3.5 GB (``bench/components.py``).
    ``cc3d.statistics`` gives counts, boxes and centroids too, but tallies every background voxel
    as well: 1.9-2.2 s for 20 lesions spread over a 512x512x300 map, where ``find_objects`` took
    0.15-0.6 s (load 8-11), more than the old per-voxel listing of those lesions."""
    import cc3d
    from scipy import ndimage

    if connectivity not in (6, 18, 26):
        raise ValueError(f"connectivity must be 6, 18 or 26, got {connectivity}")
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    affine = np.asarray(ijk_to_ras, dtype=float)
    voxel_ml = voxel_volume_ml(affine)
    crop = _bounding_box(mask)  # lesions fill a small part of a volume: label only that part
    origin = np.array([s.start for s in crop]) + np.asarray(origin, dtype=int)
    ids = cc3d.connected_components(np.ascontiguousarray(mask[crop]), connectivity=connectivity)
    objects = ndimage.find_objects(ids)
    reach = 1.0 / np.linalg.svd(affine[:3, :3], compute_uv=False)[-1]  # voxels per mm, at most
    found = []
    for number, box in enumerate(objects, start=1):
        check(cancel)
        report(progress, number - 1, len(objects), "measuring the lesions")
        if box is None:
            continue
        lo = np.array([s.start for s in box])
        local = ids[box] == number
        voxels, centroid_ijk = _count_and_centroid(local)
        first = lo + (0, *np.unravel_index(np.argmax(local[0]), local.shape[1:]))  # C order
        centroid = voxel_ras(centroid_ijk + lo + origin, affine)
        jump = _nearest_voxel(ids, number, box, centroid_ijk + lo, centroid, affine, origin, reach)
        check(cancel)
        ends = _row_ends(local)
        check(cancel)
        diameter = _longest_distance(voxel_ras(ends + lo + origin, affine))
        hi = lo + np.array(local.shape)
        found.append((voxels, tuple(int(x) for x in first), centroid, jump, diameter,
                      (tuple(int(x) for x in lo + origin), tuple(int(x) for x in hi + origin))))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [Component(n, voxels, voxels * voxel_ml, diameter, tuple(float(x) for x in centroid),
                      tuple(int(x) for x in jump), box)
            for n, (voxels, _, centroid, jump, diameter, box) in enumerate(found, start=1)]


def lesion_means(components: list[Component], mask: np.ndarray, origin, ijk_to_ras,
                 values: np.ndarray, values_ijk_to_ras, connectivity: int = CONNECTIVITY,
                 cancel: CancelToken | None = None) -> list[float | None]:
    """The mean of a map ``values`` (on its own grid, ``values_ijk_to_ras``) over each lesion's
    voxels, as :func:`segment_components` found them in ``mask`` (whose voxel ``[0, 0, 0]`` is
    image voxel ``origin``): each voxel centre read at the map's nearest voxel (halfway: the +RAS
    one, as the views draw it); ``None`` for a
    lesion wholly outside the map's grid. The Lesions list's *Unsure* column, from the
    uncertainty map."""
    import cc3d

    origin = np.asarray(origin, dtype=int)
    ras_to_map = np.linalg.inv(np.asarray(values_ijk_to_ras, float))
    means: list[float | None] = []
    for component in components:
        check(cancel)
        lo, hi = np.array(component.box[0]) - origin, np.array(component.box[1]) - origin
        crop = np.ascontiguousarray(mask[tuple(slice(a, b) for a, b in zip(lo, hi))])
        ids = cc3d.connected_components(crop, connectivity=connectivity)
        own = ids == ids[tuple(np.asarray(component.jump_ijk) - origin - lo)]
        ijk = np.argwhere(own) + lo + origin
        at = nearest_ijk(ras_to_map, voxel_ras(ijk, ijk_to_ras))
        inside = np.all((at >= 0) & (at < np.array(values.shape[:3])), axis=1)
        picked = values[tuple(at[inside].T)]
        means.append(float(picked.mean()) if picked.size else None)
    return means


def _count_and_centroid(mask: np.ndarray) -> tuple[int, np.ndarray]:
    """The voxel count of ``mask`` and the mean of its voxels' indices, from its sums along the
    axes (integers, so the mean is exact to the last bit; no list of the voxels)."""
    plane = mask.sum(axis=2)
    sums = (plane.sum(axis=1), plane.sum(axis=0), mask.sum(axis=(0, 1)))
    voxels = int(sums[0].sum())
    return voxels, np.array([int(np.dot(np.arange(len(s)), s)) / voxels for s in sums])


TIE_MM = 1e-6
"""Voxel centres this close to the same distance from a centroid are a tie (a 2x2x2 cube's eight
are at one distance, which rounding makes differ by about 1e-14 mm)."""


def _nearest_voxel(ids: np.ndarray, number: int, box, centroid_ijk: np.ndarray,
                   centroid: np.ndarray, affine: np.ndarray, origin: np.ndarray,
                   reach: float) -> np.ndarray:
    """The image voxel of component ``number`` of ``ids`` (whose voxel ``[0, 0, 0]`` is image voxel
    ``origin``) whose centre is nearest (in RAS mm) to the component's centroid (``centroid_ijk``
    in voxels of ``ids``, ``centroid`` in RAS), exact on any grid (anisotropic, oblique, sheared);
    ties (centres within :data:`TIE_MM` of the same distance): the first in C order.

    The search looks at a cube of voxels around the centroid, growing until it holds a voxel of the
    component; that voxel's distance ``d`` bounds the answer's, and every voxel within ``d`` mm lies
    within ``d x reach`` voxels along each axis (``reach``: 1 / the grid's smallest singular value),
    so one more look at a cube that wide settles it. Where the rounded centroid is inside the
    lesion (most lesions) that is a few voxels; a crescent, whose centroid lies outside it, grows
    the cube until it meets the lesion."""
    lo = np.array([s.start for s in box])
    hi = np.array([s.stop for s in box])
    half = 1.0
    while True:
        start = np.maximum(np.floor(centroid_ijk - half).astype(int), lo)
        stop = np.minimum(np.ceil(centroid_ijk + half).astype(int) + 1, hi)
        inside = np.argwhere(ids[tuple(slice(a, b) for a, b in zip(start, stop))] == number) + start
        if len(inside) == 0:
            if np.all(start == lo) and np.all(stop == hi):  # no voxel in its own box: not a component
                raise ValueError(f"component {number} has no voxel in its bounding box")
            half *= 2
            continue
        distance2 = np.sum((voxel_ras(inside + origin, affine) - centroid) ** 2, axis=1)
        closest = np.sqrt(distance2.min())
        nearest = int(np.flatnonzero(distance2 <= (closest + TIE_MM) ** 2)[0])  # C order
        needed = (closest + TIE_MM) * reach + 1e-9
        if needed <= half:
            return inside[nearest] + origin
        half = needed


def _row_ends(mask: np.ndarray) -> np.ndarray:
    """The voxels (n x 3 indices, C order) of ``mask`` that are the first or the last of their row
    along each of the three axes. A vertex of the convex hull of the voxel centres is among them
    (a voxel with voxels of the mask on both sides along a row lies between them), so the longest
    distance is found among these: about a fifth of the boundary voxels of a round lesion. Found
    from each axis' first and last voxel per row (2D arrays), with no whole-box temporary."""
    first = [mask.argmax(axis=axis) for axis in range(3)]
    last = [mask.shape[axis] - 1 - np.flip(mask, axis).argmax(axis=axis) for axis in range(3)]
    i, j = np.nonzero(mask.any(axis=2))   # each row along k: its two ends
    k = np.concatenate([first[2][i, j], last[2][i, j]])
    i, j = np.tile(i, 2), np.tile(j, 2)
    kept = (((first[1][i, k] == j) | (last[1][i, k] == j))
            & ((first[0][j, k] == i) | (last[0][j, k] == i)))
    return np.unique(np.stack([i, j, k], axis=1)[kept], axis=0)


def _bounding_box(mask: np.ndarray) -> tuple[slice, slice, slice]:
    box = []
    for axis in range(3):
        hits = np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis)))
        box.append(slice(int(hits[0]), int(hits[-1]) + 1))
    return tuple(box)


PAIRS_AT_ONCE = 1 << 21
""":func:`_longest_distance` compares this many pairs at a time (16 MB of float64)."""


def _longest_distance(points: np.ndarray) -> float:
    """The largest distance between two of ``points`` (n x 3), exact."""
    if len(points) < 2:
        return 0.0
    if len(points) > 64:
        from scipy.spatial import ConvexHull, QhullError

        try:
            points = points[ConvexHull(points).vertices]
        except (QhullError, ValueError):  # flat lesion (one slice thick): the hull is 2D
            points = _flat_hull(points)
    from scipy.spatial.distance import cdist

    best = 0.0
    rows = max(1, PAIRS_AT_ONCE // len(points))  # bounded memory: rows x n distances at a time
    for start in range(0, len(points) - 1, rows):  # each pair once: a row against those after it
        chunk = points[start:start + rows]
        best = max(best, float(cdist(chunk, points[start + 1:], "sqeuclidean").max()))
    return float(np.sqrt(best))


def _flat_hull(points: np.ndarray) -> np.ndarray:
    """Hull vertices of points lying in a plane (or on a line): hull in the plane's 2D frame."""
    from scipy.spatial import ConvexHull, QhullError

    centred = points - points.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    try:
        return points[ConvexHull(centred @ axes[:2].T).vertices]
    except (QhullError, ValueError):  # collinear: the two ends along the line
        t = centred @ axes[0]
        return points[[int(np.argmin(t)), int(np.argmax(t))]]


CSV_COLUMNS = ("segment", "lesion", "voxels", "volume_ml", "longest_diameter_mm",
               "centroid_r_mm", "centroid_a_mm", "centroid_s_mm")


def report_rows(table: dict[str, list[Component]], locations: dict[str, list] | None = None) -> list[list]:
    """Rows of the lesion report (one per component) for ``{segment name: components}``; with
    ``locations`` (``{segment name: [Location]}``, :mod:`.lesion_location`) each row ends with
    its lesion's location."""
    rows = []
    for name, components in table.items():
        told = locations[name] if locations is not None else [None] * len(components)
        for c, location in zip(components, told):
            rows.append([spreadsheet_text(name), c.index, c.voxels, round(c.volume_ml, 4),
                         round(c.diameter_mm, 2),
                         *(round(x, 2) for x in c.centroid_ras),
                         *([] if location is None else [location.text()])])
    return rows


def report_csv(table: dict[str, list[Component]]) -> str:
    """The lesion report as CSV text (header + one row per component)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(report_rows(table))
    return out.getvalue()


__all__ = ["CONNECTIVITY", "CSV_COLUMNS", "Component", "find_components", "report_csv",
           "segment_box", "segment_components",
           "report_rows", "voxel_ras"]
