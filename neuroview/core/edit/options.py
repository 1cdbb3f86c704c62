"""What each tool's options take, checked when they are set (``Session.set_params``), so a wrong
value is refused where it is given rather than at the next edit, far from its cause.

:func:`check_options` raises one :class:`~neuroview.core.errors.ToolOptionError` (a
``ValueError``) naming the tool, the option and what it takes. Options not listed here (the
segment, the seed segments, ``other``) are resolved by the Session itself.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

from ..errors import ToolOptionError
from .islands import OPERATIONS as ISLAND_OPERATIONS
from .logical import OPERATIONS as LOGICAL_OPERATIONS
from .morphology import SMOOTHING_METHODS
from .plane import VIEW_NORMALS

VIEWS = (*VIEW_NORMALS, "i", "j", "k")


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


class Number:
    """A finite number, optionally above ``above`` or at least ``least``; ``None`` if ``optional``."""

    def __init__(self, above=None, least=None, optional=False, unit="", whole=False) -> None:
        self.above, self.least, self.optional, self.unit, self.whole = above, least, optional, unit, whole

    def accepts(self, value) -> bool:
        if value is None:
            return self.optional
        if not _number(value) or (self.whole and not isinstance(value, Integral)):
            return False
        return ((self.above is None or value > self.above)
                and (self.least is None or value >= self.least))

    def __str__(self) -> str:
        text = "a whole number" if self.whole else "a number"
        if self.above is not None:
            text += f" above {self.above:g}"
        if self.least is not None:
            text += f" of at least {self.least:g}"
        if self.unit:
            text += f" ({self.unit})"
        return text + (", or None (off)" if self.optional else "")


class Choice:
    def __init__(self, *values) -> None:
        self.values = values

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, (str, Integral)):
            return False
        return any(isinstance(value, str) == isinstance(v, str) and value == v for v in self.values)

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


class View:
    """A view name, a voxel axis letter, or a non-zero RAS vector of 3 numbers."""

    def accepts(self, value) -> bool:
        if isinstance(value, str):
            return value.lower() in VIEWS
        try:
            numbers = list(value)
        except TypeError:
            return False
        return len(numbers) == 3 and all(_number(n) for n in numbers) and any(numbers)

    def __str__(self) -> str:
        return f"one of {', '.join(VIEWS)} or a non-zero RAS vector of 3 numbers"


class Point:
    """A RAS point (3 numbers), or ``None``."""

    def accepts(self, value) -> bool:
        if value is None:
            return True
        try:
            numbers = list(value)
        except TypeError:
            return False
        return len(numbers) == 3 and all(_number(n) for n in numbers)

    def __str__(self) -> str:
        return "a RAS point of 3 numbers (mm), or None"


INTENSITY = Number(optional=True, unit="image intensity")
BRUSH = {"radius_mm": Number(above=0, unit="mm"), "mode": Choice("2d", "3d"), "view": View(),
         "plane_ras": Point(), "intensity_low": INTENSITY, "intensity_high": INTENSITY}
RULES = {
    "paint": BRUSH,
    "erase": BRUSH,
    "fill": {"mode": Choice("2d", "3d"), "view": View(), "plane_ras": Point(),
             "intensity_low": INTENSITY, "intensity_high": INTENSITY,
             "tolerance": Number(least=0, optional=True, unit="image intensity")},
    "grow": {"padding_mm": Number(least=0, unit="mm"), "sigma_mm": Number(least=0, unit="mm")},
    "interpolate": {"view": View()},
    "islands": {"operation": Choice(*ISLAND_OPERATIONS),
                "min_voxels": Number(least=0, optional=True, whole=True),
                "min_ml": Number(least=0, optional=True, unit="mL"),
                "connectivity": Choice(6, 18, 26)},
    "smoothing": {"method": Choice(*SMOOTHING_METHODS), "kernel_mm": Number(above=0, unit="mm")},
    "margin": {"margin_mm": Number(unit="mm")},
    "logical": {"operation": Choice(*LOGICAL_OPERATIONS)},
    "threshold": {"low": INTENSITY, "high": INTENSITY},
}


def check_options(tool: str, known, values: dict) -> None:
    """Refuse the first of ``values`` that ``tool`` (whose options are ``known``) does not take."""
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ToolOptionError(f"{tool} has no option {', '.join(unknown)}; "
                              f"its options are {', '.join(sorted(known))}")
    rules = RULES.get(tool, {})
    for name, value in values.items():
        rule = rules.get(name)
        if rule is not None and not rule.accepts(value):
            raise ToolOptionError(f"{tool}: {name} must be {rule}, not {value!r}")
