"""Measurements on the viewed image: ruler length, statistics of a segment or of a rectangle or an
ellipse drawn on a slice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..core import geometry
from ..core.plural import plural
from .view_presets import shown_unit


@dataclass
class Ruler:
    """A line between two RAS points drawn on a slice view."""

    plane: str
    start_ras: np.ndarray
    end_ras: np.ndarray

    kind = "Ruler"

    @property
    def length_mm(self) -> float:
        return float(np.linalg.norm(np.asarray(self.end_ras) - np.asarray(self.start_ras)))

    @property
    def points(self) -> tuple:
        """Its points (RAS): the ends, where a drag moves it."""
        return self.start_ras, self.end_ras

    def with_point(self, index: int, p_ras) -> "Ruler":
        """This ruler with its ``index``-th point (of :attr:`points`) at ``p_ras``."""
        return Ruler(self.plane, *_replaced(self.points, index, p_ras))

    @property
    def value_text(self) -> str | None:
        """Its length as listed in *Measurements* (``35.2 mm``); ``None``: it has none."""
        return None if self.length_mm == 0 else f"{self.length_mm:.1f} mm"


def measure_centre(points) -> np.ndarray:
    """Where a ruler, angle or rectangle lies (RAS): the mean of its points, on its slice; where
    a double-click on its line in *Measurements* takes the views."""
    return np.mean([np.asarray(p, float) for p in points], axis=0)


def _replaced(points, index: int, p_ras) -> list[np.ndarray]:
    out = [np.asarray(p, float) for p in points]
    out[index] = np.asarray(p_ras, float)
    return out


@dataclass
class Angle:
    """The angle at ``vertex_ras`` between the arms to ``a_ras`` and ``c_ras``, drawn on a slice
    view (three clicks, or a drag for the first arm and a click for the second, as PACS viewers'
    angle tools)."""

    plane: str
    a_ras: np.ndarray
    vertex_ras: np.ndarray
    c_ras: np.ndarray

    kind = "Angle"

    @property
    def points(self) -> tuple:
        """Its points (RAS): the first arm's end, the vertex, the second arm's end."""
        return self.a_ras, self.vertex_ras, self.c_ras

    def with_point(self, index: int, p_ras) -> "Angle":
        """This angle with its ``index``-th point (of :attr:`points`) at ``p_ras``."""
        return Angle(self.plane, *_replaced(self.points, index, p_ras))

    @property
    def value_text(self) -> str | None:
        """Its degrees as listed in *Measurements* (``90.0°``); ``None``: an arm has no length."""
        degrees = self.degrees
        return None if degrees is None else f"{degrees:.1f}°"

    @property
    def degrees(self) -> float | None:
        """0-180; ``None`` when an arm has no length."""
        u = np.asarray(self.a_ras, float) - np.asarray(self.vertex_ras, float)
        v = np.asarray(self.c_ras, float) - np.asarray(self.vertex_ras, float)
        nu, nv = np.linalg.norm(u), np.linalg.norm(v)
        if nu == 0 or nv == 0:
            return None
        return float(np.degrees(np.arccos(np.clip(u @ v / (nu * nv), -1.0, 1.0))))


@dataclass
class RegionStats:
    voxels: int
    volume_ml: float
    mean: float
    std: float
    minimum: float
    maximum: float
    unit: str = ""
    area_mm2: float | None = None
    """A rectangle's or an ellipse's area as drawn (Horos's and a PACS viewer's ROI *Area*); None
    for a segment."""
    partly_outside: bool = False
    """Whether the rectangle (ellipse) reaches past the image's edge: its area is then that of the
    voxels inside, not as drawn (drawn 7.09 cm² read for 1.81 cm² of voxels until session 48)."""
    outside_scan: int = 0
    """Voxels of the rectangle (the segment) outside a CT's scanned field of view (its padding,
    read as air), left out of the figures: their -1024 was counted as air until session 44 (45)."""

    def lines(self) -> list[str]:
        """The figures in three short lines, as the rectangle on the view shows them."""
        unit = f" {self.unit}" if self.unit else ""
        outside = ([f"{plural(self.outside_scan, 'voxel')} outside the scanned field left out"]
                   if self.outside_scan else [])
        if self.partly_outside:
            outside.insert(0, "partly outside the image")
        if self.voxels == 0:
            return ["empty region"] + outside
        area = "" if self.area_mm2 is None else f", area {format_cm2(self.area_mm2)} cm²"
        return [f"{plural(self.voxels, 'voxel')}{area}, {format_ml(self.volume_ml)} mL",
                f"mean {format_value(self.mean)}{unit}, std {format_value(self.std)}",
                f"min {format_value(self.minimum)}, max {format_value(self.maximum)}"] + outside

    def describe(self) -> str:
        return ", ".join(self.lines())


def format_value(value: float) -> str:
    """An intensity figure: one decimal from 1 up (``318.0`` HU), three significant digits below
    (an ADC map in mm2/s: ``0.000812``; one decimal showed its mean, std, min and max as 0.0)."""
    value = float(value)
    if value == 0 or abs(value) >= 1 or not np.isfinite(value):
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) >= 1e-4 else f"{value:.2e}"


def format_cm2(mm2: float) -> str:
    """An area in cm², as Horos gives an ROI's: three significant digits (``5.15``, ``0.09``),
    whole cm² from 100."""
    cm2 = float(mm2) / 100.0
    return f"{cm2:.0f}" if cm2 >= 100 else f"{cm2:.3g}"


def format_ml(ml: float) -> str:
    """A volume in mL as a radiologist reads it: whole mL from 100 mL (a brain: ``1928``), one
    decimal from 1 mL (``3.4``; a bleed of ``29.6`` stays under the ICH score's 30 mL, where
    whole mL read ``30``), three below (a small lesion: ``0.012``, voxels still count)."""
    ml = float(ml)
    if abs(ml) >= 100:
        return f"{ml:.0f}"
    return f"{ml:.1f}" if abs(ml) >= 1 else f"{ml:.3f}"


RAS_SIDES = (("R", "L"), ("A", "P"), ("S", "I"))
"""The side each RAS axis's positive and negative values lie on (x: right / left...)."""


def format_ras_side(value_mm: float, axis: int) -> str:
    """A RAS coordinate (mm) as a radiologist reads it, and as Slicer's data probe shows it: the
    side and the distance, ``L 29.3`` for x = -29.3 (a signed ``R -29.3`` was misread), ``P 4.0``
    for y = -4, ``0.0`` on the plane through the origin."""
    value = round(float(value_mm), 1)
    if value == 0:
        return "0.0"
    positive, negative = RAS_SIDES[axis]
    return f"{positive if value > 0 else negative} {abs(value):.1f}"


def _stats(values: np.ndarray, voxel_ml: float, unit: str, area_mm2: float | None = None) -> RegionStats:
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return RegionStats(0, 0.0, float("nan"), float("nan"), float("nan"), float("nan"), unit,
                           area_mm2)
    return RegionStats(int(values.size), values.size * voxel_ml, float(values.mean()),
                       float(values.std()), float(values.min()), float(values.max()), unit,
                       area_mm2)


OUTSIDE_SCAN = "outside the scanned field (no value; drawn as air)"
"""What the value under the pointer reads on a CT's padding (:func:`outside_scan`)."""


def outside_scan(volume, voxel: tuple) -> bool:
    """Whether image voxel ``voxel`` (i, j, k) lies outside a CT's scanned field of view: its
    padding, read as air (:meth:`.Volume.outside_scan_at`)."""
    return bool(_outside_scan(volume, tuple(np.array([n]) for n in voxel))[0])


def _outside_scan(volume, index: tuple) -> np.ndarray:
    """Whether each image voxel of ``index`` (three arrays of i, j, k) lies outside a CT's
    scanned field of view (:meth:`.Volume.outside_scan_at`), all False where nothing records it."""
    outside = volume.outside_scan_at(index)
    return np.zeros(len(index[0]), bool) if outside is None else outside


def segment_statistics(volume, labels, value: int) -> RegionStats:
    """Image statistics inside segment ``value`` (label voxels; the image sampled at their centres
    when the label map lies on another grid). Its voxel count and volume are the segment's; the
    image figures leave out the voxels outside a CT's scanned field (as a rectangle's do), and
    say how many."""
    mask = labels.array == int(value)
    voxel_ml = labels.voxel_volume_ml
    if labels.on_grid_of(volume):
        index = np.nonzero(mask)
    else:
        p_ras = geometry.apply_affine(labels.ijk_to_ras, np.argwhere(mask))
        image_ijk = np.rint(volume.ras_to_ijk_points(p_ras)).astype(int)
        inside = np.all((image_ijk >= 0) & (image_ijk < np.asarray(volume.shape)), axis=1)
        index = tuple(image_ijk[inside].T)
    values = np.asarray(volume.frame(0))[index]
    outside = _outside_scan(volume, index)
    stats = _stats(values[~outside], voxel_ml, shown_unit(volume))
    stats.voxels, stats.volume_ml = int(mask.sum()), float(mask.sum() * voxel_ml)
    stats.outside_scan = int(np.count_nonzero(outside))
    return stats


def rectangle_statistics(volume, corner_a_ras, corner_b_ras, right, down, normal,
                         thickness_mm: float) -> RegionStats:
    """Statistics of the voxels whose centres lie in a rectangle drawn on a slice view, and the
    rectangle's area as drawn.

    The rectangle spans ``corner_a``..``corner_b`` along the view's ``right`` and ``down`` axes and
    is ``thickness_mm`` thick (one slice) along ``normal``.
    """
    return _drawn_statistics(volume, corner_a_ras, corner_b_ras, np.stack([right, down, normal]),
                             thickness_mm, ellipse=False)


def _drawn_statistics(volume, corner_a_ras, corner_b_ras, axes, thickness_mm: float,
                      ellipse: bool, unit: str | None = None) -> RegionStats:
    """:func:`rectangle_statistics` along ``axes`` (right, down, normal); with ``ellipse``, of the
    voxels in the ellipse inside the rectangle (a circle in a square), as a PACS viewer's
    elliptical ROI, its area pi * a * b as drawn; where the shape reaches past the image's edge,
    the area of the voxels inside (one slice thick) and ``partly_outside`` set."""
    a, b = np.asarray(corner_a_ras, float), np.asarray(corner_b_ras, float)
    axes = np.asarray(axes, float)
    normal = axes[2]
    lo_uv = np.minimum(axes[:2] @ a, axes[:2] @ b)
    hi_uv = np.maximum(axes[:2] @ a, axes[:2] @ b)
    depth = float(normal @ a)
    # Candidate voxels: the bounding box of the rectangle's corners in voxel space.
    corners = []
    for u in (lo_uv[0], hi_uv[0]):
        for v in (lo_uv[1], hi_uv[1]):
            for w in (depth - thickness_mm / 2, depth + thickness_mm / 2):
                corners.append(u * axes[0] + v * axes[1] + w * axes[2])
    ijk = volume.ras_to_ijk_points(np.array(corners))
    lo = np.clip(np.floor(ijk.min(axis=0)).astype(int), 0, np.asarray(volume.shape) - 1)
    hi = np.clip(np.ceil(ijk.max(axis=0)).astype(int), 0, np.asarray(volume.shape) - 1)
    grid = np.stack(np.meshgrid(*[np.arange(lo[n], hi[n] + 1) for n in range(3)], indexing="ij"),
                    axis=-1).reshape(-1, 3)
    p = volume.ijk_to_ras_points(grid)
    uvw = p @ axes.T
    eps = 1e-6
    keep = ((uvw[:, 0] >= lo_uv[0] - eps) & (uvw[:, 0] <= hi_uv[0] + eps)
            & (uvw[:, 1] >= lo_uv[1] - eps) & (uvw[:, 1] <= hi_uv[1] + eps)
            & (np.abs(uvw[:, 2] - depth) <= thickness_mm / 2 + eps))
    area = float(np.prod(hi_uv - lo_uv))
    centre, radii = (lo_uv + hi_uv) / 2, (hi_uv - lo_uv) / 2
    if ellipse:
        keep &= (np.sum(((uvw[:, :2] - centre) / np.maximum(radii, 1e-9)) ** 2, axis=1) <= 1 + eps)
        area = float(np.pi * radii[0] * radii[1])
    chosen = grid[keep]
    values = np.asarray(volume.frame(0))[tuple(chosen.T)]
    outside = _outside_scan(volume, tuple(chosen.T))
    voxel_ml = geometry.voxel_volume_ml(volume.ijk_to_ras)
    partly_outside = _past_edge(volume, _outline(centre, radii, ellipse) @ axes[:2] + depth * normal)
    if partly_outside:
        area = len(chosen) * voxel_ml * 1000.0 / thickness_mm
    stats = _stats(values[~outside], voxel_ml, shown_unit(volume) if unit is None else unit, area)
    stats.outside_scan = int(np.count_nonzero(outside))
    stats.partly_outside = partly_outside
    return stats


def _outline(centre, radii, ellipse: bool) -> np.ndarray:
    """Points (u, v) on a drawn shape's outline: the rectangle's corners, 90 on the ellipse."""
    if ellipse:
        turn = np.linspace(0.0, 2 * np.pi, 90, endpoint=False)
        return centre + radii * np.stack([np.cos(turn), np.sin(turn)], axis=1)
    return centre + radii * np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]])


def _past_edge(volume, points_ras) -> bool:
    """Whether any of ``points_ras`` lies outside the image (past its voxels' outer faces)."""
    ijk = volume.ras_to_ijk_points(np.asarray(points_ras, float))
    return bool(np.any((ijk < -0.5 - 1e-6) | (ijk > np.asarray(volume.shape[:3]) - 0.5 + 1e-6)))


@dataclass(eq=False)
class DrawnRegion:
    """A rectangle or an ellipse drawn on a slice view (inside the rectangle from ``start_ras`` to
    ``end_ras`` along the view's ``axes``: right, down, normal; ``thickness_mm``: its slice) with
    the figures of the voxels inside it; kept on its slice with the rulers and angles, as a PACS
    viewer keeps its ROIs (one at a time and no undo until session 48 for ellipses, session 49
    for rectangles). ``stats`` are those of the time point shown (:meth:`read` again at
    another)."""

    plane: str
    start_ras: np.ndarray
    end_ras: np.ndarray
    axes: np.ndarray
    thickness_mm: float
    stats: RegionStats | None = None

    kind = ""
    ellipse = False
    """Its voxels those of the ellipse inside the rectangle (a circle in a square)."""

    def with_point(self, index: int, p_ras) -> "DrawnRegion":
        """This one with its ``index``-th corner (of :attr:`points`) at ``p_ras`` (its figures not
        read yet: :meth:`read`)."""
        return type(self)(self.plane, *_replaced(self.points, index, p_ras), self.axes,
                          self.thickness_mm)

    def read(self, volume, unit: str | None = None) -> None:
        """Its figures of ``volume`` (a time point), in place: the undo steps hold this object.
        ``unit``: the one its figures are in, known already (``shown_unit`` reads the voxels:
        0.11 s of a 512x512x64 CT time point)."""
        self.stats = _drawn_statistics(volume, self.start_ras, self.end_ras, self.axes,
                                       self.thickness_mm, ellipse=self.ellipse, unit=unit)

    @property
    def points(self) -> tuple:
        """Its points (RAS): the corners of the rectangle (it is drawn in)."""
        return self.start_ras, self.end_ras

    def outline_ras(self, steps: int = 48) -> np.ndarray:
        """Points round it (RAS; the last is the first), from its right end (an ellipse's
        ``steps + 1``, a rectangle's 5 corners): where the 3D view draws it."""
        centre = (self.start_ras + self.end_ras) / 2
        radii = np.abs(self.axes[:2] @ (self.end_ras - self.start_ras)) / 2
        t = np.linspace(0.0, 2 * np.pi, steps + 1)
        along = (np.cos(t), np.sin(t)) if self.ellipse else ([1, 1, -1, -1, 1], [-1, 1, 1, -1, -1])
        return (centre + np.outer(radii[0] * np.asarray(along[0]), self.axes[0])
                + np.outer(radii[1] * np.asarray(along[1]), self.axes[1]))

    @property
    def value_text(self) -> str | None:
        """Its size as the undo lines quote it (``384 voxels, area 1.85 cm², 0.369 mL``);
        ``None``: it has no area (a corner dragged onto the other's row or column)."""
        return self.stats.lines()[0] if self.stats.area_mm2 else None


class Ellipse(DrawnRegion):
    """*Ellipse statistics* (F7): a PACS viewer's elliptical ROI."""

    kind = "Ellipse"
    ellipse = True


class Rectangle(DrawnRegion):
    """*Rectangle statistics* (F4): ITK-SNAP's and Horos's rectangle ROI."""

    kind = "Rectangle"


def drawn_on_slice(shape: type, volume, state, plane: str, start_ras, end_ras) -> DrawnRegion:
    """The ``shape`` (:class:`Ellipse`, :class:`Rectangle`) drawn from ``start_ras`` to
    ``end_ras`` on ``plane``'s slice of ``state`` (one slice thick, along the view's axes as they
    are now: an oblique view's too), with the figures of ``volume`` (the time point on screen)."""
    drawn = shape(plane, np.asarray(start_ras, float), np.asarray(end_ras, float),
                  np.stack(state.axes(plane)), state.slice_step_mm(plane))
    drawn.read(volume)
    return drawn


def segment_table_rows(labels, counts: Optional[dict] = None
                       ) -> list[tuple[int, str, tuple[int, int, int], int, float, bool]]:
    """Rows of the segment panel: value, name, colour, voxel count, volume in mL, visible.

    ``counts`` (``{value: voxels}``, e.g. ``Session.counts.counts()``, kept up to date edit by
    edit) spares the whole-volume recount; without it the label map is counted here.
    """
    counts = labels.voxel_counts() if counts is None else counts
    rows = []
    values = sorted(set(counts) | {s.value for s in labels.segments})
    for value in values:
        segment = labels.segments.segments.get(value)
        from ..core.labels import default_color

        name = segment.name if segment else f"Segment {value}"
        color = segment.color if segment else default_color(value)
        visible = segment.visible if segment else True
        n = counts.get(value, 0)
        rows.append((value, name, tuple(color), n, n * labels.voxel_volume_ml, visible))
    return rows
