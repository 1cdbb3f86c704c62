"""What a user gives a promptable model, in RAS millimetres: points, boxes, scribbles and lassos.

Typed dataclasses (MONAI Label's lesson), free of torch so that ``app`` and ``ui`` can build them.
Every prompt is ``include`` (this is the object) or exclude (this is not). A box is drawn on a slice
plane (axial, sagittal, coronal or an oblique reslice): its plane is given by two in-plane unit axes,
so it means the same thing whatever the volume's voxel grid is.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Optional, Union

import numpy as np

from ...core.edit.base import ras_point
from ...core.errors import ToolError

AXIAL_AXES = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))
CORONAL_AXES = ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
SAGITTAL_AXES = ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
PLANE_AXES = {"axial": AXIAL_AXES, "coronal": CORONAL_AXES, "sagittal": SAGITTAL_AXES}


def _point(p, what: str) -> tuple[float, float, float]:
    return tuple(float(v) for v in ras_point(p, what))


def _plane_axes(axes, what: str) -> tuple:
    """Two orthonormal in-plane directions from a plane name or two RAS directions."""
    if isinstance(axes, str):
        if axes not in PLANE_AXES:
            raise ToolError(f"unknown plane {axes!r}; choose one of {sorted(PLANE_AXES)}")
        axes = PLANE_AXES[axes]
    u, v = (np.asarray(_point(a, f"{what}'s plane axis")) for a in axes)
    u = u / (np.linalg.norm(u) or 1.0)
    v = v - u * float(u @ v)
    if np.linalg.norm(v) < 1e-6:
        raise ToolError(f"{what}'s two plane axes must not be parallel")
    v = v / np.linalg.norm(v)
    return (tuple(u), tuple(v))


@dataclass(frozen=True)
class PointPrompt:
    """A click at ``p_ras``."""

    p_ras: tuple[float, float, float]
    include: bool = True
    kind = "point"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_ras", _point(self.p_ras, "a point"))

    def points_ras(self) -> np.ndarray:
        return np.asarray([self.p_ras])


@dataclass(frozen=True)
class BoxPrompt:
    """A rectangle on a slice plane between two opposite corners (RAS mm).

    ``axes`` are the plane's two in-plane unit directions (RAS); the rectangle's sides run along
    them. The model grows the object it frames into 3D. Corners that do not lie on one such plane
    are moved onto the plane through their mean, as a scribble's points are (before session 36
    the rectangle lay on corner_a's plane: a box from a voxel slice of a grid tilted 20 degrees
    framed the lesion 2 mm below its centre).
    """

    corner_a: tuple[float, float, float]
    corner_b: tuple[float, float, float]
    axes: tuple = AXIAL_AXES
    include: bool = True
    kind = "box"

    def __post_init__(self) -> None:
        object.__setattr__(self, "corner_a", _point(self.corner_a, "a box corner"))
        object.__setattr__(self, "corner_b", _point(self.corner_b, "a box corner"))
        object.__setattr__(self, "axes", _plane_axes(self.axes, "a box"))
        corners = _onto_plane(np.asarray([self.corner_a, self.corner_b]), self.normal)
        object.__setattr__(self, "corner_a", tuple(float(c) for c in corners[0]))
        object.__setattr__(self, "corner_b", tuple(float(c) for c in corners[1]))

    @property
    def normal(self) -> np.ndarray:
        u, v = (np.asarray(a) for a in self.axes)
        return np.cross(u, v)

    def extent(self) -> tuple[float, float]:
        """Side lengths (mm) along the two plane axes."""
        d = np.asarray(self.corner_b) - np.asarray(self.corner_a)
        return tuple(abs(float(d @ np.asarray(a))) for a in self.axes)

    def points_ras(self) -> np.ndarray:
        return np.asarray([self.corner_a, self.corner_b])


@dataclass(frozen=True)
class ScribblePrompt:
    """A brush stroke through ``points`` (RAS mm, in drawing order), ``width_mm`` wide.

    ``axes`` (a plane name or two in-plane RAS directions) is the plane it was drawn on: the
    points are moved onto the plane through their mean, and the stroke is drawn within half a
    voxel of it (in a resliced oblique view a tube 2 mm wide reached a voxel off the plane the
    user saw). Without ``axes`` it is a tube in 3D.
    """

    points: tuple
    include: bool = True
    width_mm: float = 2.0
    axes: Optional[tuple] = None
    kind = "scribble"

    def __post_init__(self) -> None:
        points = tuple(_point(p, "a scribble point") for p in self.points)
        if not points:
            raise ToolError("a scribble needs at least one point")
        width = self.width_mm
        if isinstance(width, bool) or not isinstance(width, numbers.Real) or not 0 < width < np.inf:
            # -1 or NaN drew a stroke of its points only, without a word
            raise ToolError(f"a scribble's width_mm must be a number above 0 (mm), not {width!r}")
        if self.axes is not None:
            object.__setattr__(self, "axes", _plane_axes(self.axes, "a scribble"))
            points = tuple(tuple(p) for p in _onto_plane(np.asarray(points), self.normal))
        object.__setattr__(self, "points", points)

    @property
    def normal(self) -> np.ndarray:
        u, v = (np.asarray(a) for a in self.axes)
        return np.cross(u, v)

    def points_ras(self, step_mm: float = 0.5) -> np.ndarray:
        """The stroke's points, with points added every ``step_mm`` along each segment."""
        pts = np.asarray(self.points)
        out = [pts[:1]]
        for a, b in zip(pts[:-1], pts[1:]):
            n = max(1, int(np.ceil(np.linalg.norm(b - a) / step_mm)))
            out.append(a + (b - a) * (np.arange(1, n + 1)[:, None] / n))
        return np.concatenate(out)


@dataclass(frozen=True)
class LassoPrompt:
    """A closed outline drawn on a slice plane through ``points`` (RAS mm, in drawing order; the
    last joins the first). The region it encloses on that plane is grown into 3D like a box.

    ``axes`` are the plane's two in-plane unit directions (RAS) or a plane name; the points are
    projected onto the plane through their mean.
    """

    points: tuple
    axes: tuple = AXIAL_AXES
    include: bool = True
    kind = "lasso"

    def __post_init__(self) -> None:
        points = tuple(_point(p, "a lasso point") for p in self.points)
        object.__setattr__(self, "axes", _plane_axes(self.axes, "a lasso"))
        u, v = (np.asarray(a) for a in self.axes)
        flat = np.asarray(points) @ np.stack([u, v]).T if points else np.zeros((0, 2))
        if len(points) < 3 or abs(_polygon_area(flat)) < 1e-6:
            raise ToolError("a lasso needs at least three points enclosing an area on its plane")
        object.__setattr__(self, "points", points)

    @property
    def normal(self) -> np.ndarray:
        u, v = (np.asarray(a) for a in self.axes)
        return np.cross(u, v)

    def points_ras(self) -> np.ndarray:
        """The outline's vertices, moved onto the plane through their mean."""
        return _onto_plane(np.asarray(self.points), self.normal)


def _onto_plane(points: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """``points`` moved along ``normal`` onto the plane through their mean."""
    return points - np.outer((points - points.mean(0)) @ normal, normal)


def _polygon_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(x @ np.roll(y, -1) - y @ np.roll(x, -1))


Prompt = Union[PointPrompt, BoxPrompt, ScribblePrompt, LassoPrompt]


def _check_prompt(prompt):
    """``prompt`` if it is one; a bare point (a tuple) failed on ``.include`` far inside."""
    if not isinstance(prompt, (PointPrompt, BoxPrompt, ScribblePrompt, LassoPrompt)):
        raise TypeError(f"a prompt must be a PointPrompt, BoxPrompt, ScribblePrompt or LassoPrompt, "
                        f"not {type(prompt).__name__} ({prompt!r:.60}): PointPrompt((x, y, z)) "
                        f"makes a click")
    return prompt


@dataclass
class PromptSet:
    """The prompts placed on one object so far, oldest first."""

    prompts: list = field(default_factory=list)

    def __post_init__(self) -> None:
        for prompt in self.prompts:
            _check_prompt(prompt)

    def add(self, prompt: Prompt) -> None:
        self.prompts.append(_check_prompt(prompt))

    def __len__(self) -> int:
        return len(self.prompts)

    def counts(self) -> dict[str, int]:
        """How many prompts of each kind, e.g. ``{"point+": 2, "point-": 1, "box+": 1}``."""
        counts: dict[str, int] = {}
        for p in self.prompts:
            key = p.kind + ("+" if p.include else "-")
            counts[key] = counts.get(key, 0) + 1
        return counts

    def describe(self, index: int) -> str:
        """The prompt at ``index`` in words, as the message bar names it: "prompt 2 (an exclude
        click)"."""
        prompt = self.prompts[index]
        kind = {"point": "click"}.get(prompt.kind, prompt.kind)
        sense = "an include" if prompt.include else "an exclude"
        return f"prompt {index + 1} ({sense} {kind})"

    def points_ras(self, include=None) -> np.ndarray:
        """Every prompt point (RAS mm), optionally only the include or exclude ones."""
        pts = [p.points_ras() for p in self.prompts if include is None or p.include == include]
        return np.concatenate(pts) if pts else np.zeros((0, 3))
