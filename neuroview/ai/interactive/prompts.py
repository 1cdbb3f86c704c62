"""What a user gives a promptable model, in RAS millimetres: points, boxes and scribbles.

Typed dataclasses (MONAI Label's lesson), free of torch so that ``app`` and ``ui`` can build them.
Every prompt is ``include`` (this is the object) or exclude (this is not). A box is drawn on a slice
plane (axial, sagittal, coronal or an oblique reslice): its plane is given by two in-plane unit axes,
so it means the same thing whatever the volume's voxel grid is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import numpy as np

from ...core.errors import ToolError

AXIAL_AXES = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))
CORONAL_AXES = ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
SAGITTAL_AXES = ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
PLANE_AXES = {"axial": AXIAL_AXES, "coronal": CORONAL_AXES, "sagittal": SAGITTAL_AXES}


def _point(p, what: str) -> tuple[float, float, float]:
    array = np.asarray(p, dtype=float).reshape(-1)
    if array.shape != (3,) or not np.all(np.isfinite(array)):
        raise ToolError(f"{what} must be three finite RAS coordinates in mm, got {p!r}")
    return tuple(float(v) for v in array)


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
    them. The model grows the object it frames into 3D.
    """

    corner_a: tuple[float, float, float]
    corner_b: tuple[float, float, float]
    axes: tuple = AXIAL_AXES
    include: bool = True
    kind = "box"

    def __post_init__(self) -> None:
        object.__setattr__(self, "corner_a", _point(self.corner_a, "a box corner"))
        object.__setattr__(self, "corner_b", _point(self.corner_b, "a box corner"))
        if isinstance(self.axes, str):
            if self.axes not in PLANE_AXES:
                raise ToolError(f"unknown plane {self.axes!r}; choose one of {sorted(PLANE_AXES)}")
            object.__setattr__(self, "axes", PLANE_AXES[self.axes])
        u, v = (np.asarray(_point(a, "a box axis")) for a in self.axes)
        u = u / (np.linalg.norm(u) or 1.0)
        v = v - u * float(u @ v)
        if np.linalg.norm(v) < 1e-6:
            raise ToolError("a box's two plane axes must not be parallel")
        v = v / np.linalg.norm(v)
        object.__setattr__(self, "axes", (tuple(u), tuple(v)))

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
    """A brush stroke through ``points`` (RAS mm, in drawing order), ``width_mm`` wide."""

    points: tuple
    include: bool = True
    width_mm: float = 2.0
    kind = "scribble"

    def __post_init__(self) -> None:
        points = tuple(_point(p, "a scribble point") for p in self.points)
        if not points:
            raise ToolError("a scribble needs at least one point")
        object.__setattr__(self, "points", points)

    def points_ras(self, step_mm: float = 0.5) -> np.ndarray:
        """The stroke's points, with points added every ``step_mm`` along each segment."""
        pts = np.asarray(self.points)
        out = [pts[:1]]
        for a, b in zip(pts[:-1], pts[1:]):
            n = max(1, int(np.ceil(np.linalg.norm(b - a) / step_mm)))
            out.append(a + (b - a) * (np.arange(1, n + 1)[:, None] / n))
        return np.concatenate(out)


Prompt = Union[PointPrompt, BoxPrompt, ScribblePrompt]


@dataclass
class PromptSet:
    """The prompts placed on one object so far, oldest first."""

    prompts: list = field(default_factory=list)

    def add(self, prompt: Prompt) -> None:
        self.prompts.append(prompt)

    def __len__(self) -> int:
        return len(self.prompts)

    def counts(self) -> dict[str, int]:
        """How many prompts of each kind, e.g. ``{"point+": 2, "point-": 1, "box+": 1}``."""
        counts: dict[str, int] = {}
        for p in self.prompts:
            key = p.kind + ("+" if p.include else "-")
            counts[key] = counts.get(key, 0) + 1
        return counts

    def points_ras(self, include=None) -> np.ndarray:
        """Every prompt point (RAS mm), optionally only the include or exclude ones."""
        pts = [p.points_ras() for p in self.prompts if include is None or p.include == include]
        return np.concatenate(pts) if pts else np.zeros((0, 3))
