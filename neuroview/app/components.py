"""The lesion list: connected components of one segment, with volume, longest diameter and position.

As Slicer's Segment Statistics (per island) and ITK-SNAP's connected-component list:

- **components** are found with ``cc3d`` in 26-connectivity (voxels touching by a face, an edge
  or a corner are one lesion) unless ``connectivity=6`` is asked for;
- **volume** (mL) is voxels x the voxel volume ``|det(ijk_to_ras[:3, :3])|``, so anisotropic and
  oblique grids are handled;
- **longest diameter** (mm) is the largest distance between the centres of two boundary voxels of
  the component, measured in RAS (so a tilted or anisotropic grid gives true millimetres). A
  one-voxel lesion has diameter 0. The farthest pair always lies on the convex hull of the
  boundary voxel centres, so only the hull's vertices are compared (``scipy.spatial.ConvexHull``);
- **centroid** is the mean of the voxel centres, in RAS mm; **jump_ijk** is the lesion's own voxel
  nearest to that centroid (a crescent's centroid may lie outside it; the views jump to a voxel
  that is inside the lesion, in the spirit of Slicer's "jump to segment").

No Qt: the Session, the CLI's ``--report`` and the window's Lesions panel use the same function.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from ..core.csv_text import spreadsheet_text
from ..core.geometry import apply_affine, voxel_volume_ml
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
    between the steps of measuring one (a brain-sized segment took 42 s in one lesion on a
    512x512x300 CT, load 11)."""
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
    found = []
    for number, box in enumerate(objects, start=1):
        check(cancel)
        report(progress, number - 1, len(objects), "measuring the lesions")
        if box is None:
            continue
        local = ids[box] == number
        lo = np.array([s.start for s in box]) + origin
        inside = np.argwhere(local)
        centroid = voxel_ras(inside.mean(axis=0) + lo, affine)
        check(cancel)
        nearest = inside[np.argmin(np.sum((voxel_ras(inside + lo, affine) - centroid) ** 2, axis=1))]
        check(cancel)
        boundary = local & ~ndimage.binary_erosion(local, border_value=0)
        check(cancel)
        diameter = _longest_distance(voxel_ras(np.argwhere(boundary) + lo, affine))
        hi = lo + np.array(local.shape)
        found.append((len(inside), tuple(int(x) for x in inside[0] + lo), centroid, nearest + lo,
                      diameter, (tuple(int(x) for x in lo), tuple(int(x) for x in hi))))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [Component(n, voxels, voxels * voxel_ml, diameter, tuple(float(x) for x in centroid),
                      tuple(int(x) for x in jump), box)
            for n, (voxels, _, centroid, jump, diameter, box) in enumerate(found, start=1)]


def _bounding_box(mask: np.ndarray) -> tuple[slice, slice, slice]:
    box = []
    for axis in range(3):
        hits = np.flatnonzero(mask.any(axis=tuple(a for a in range(3) if a != axis)))
        box.append(slice(int(hits[0]), int(hits[-1]) + 1))
    return tuple(box)


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
    best = 0.0
    for start in range(0, len(points), 512):  # bounded memory: 512 x n distances at a time
        chunk = points[start:start + 512]
        d2 = np.sum((chunk[:, None, :] - points[None, :, :]) ** 2, axis=2)
        best = max(best, float(d2.max()))
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


def report_rows(table: dict[str, list[Component]]) -> list[list]:
    """Rows of the lesion report (one per component) for ``{segment name: components}``."""
    rows = []
    for name, components in table.items():
        for c in components:
            rows.append([spreadsheet_text(name), c.index, c.voxels, round(c.volume_ml, 4),
                         round(c.diameter_mm, 2),
                         *(round(x, 2) for x in c.centroid_ras)])
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
