"""Mask-correction tools: one module per tool family, all Qt-free.

``TOOLS`` maps a tool's name (as ``Session.apply(name, ...)`` takes it) to its class. Every tool
follows :class:`~neuroview.core.edit.base.Tool`: a ``Params`` dataclass, press/drag/release input
in RAS millimetres, and writes that respect locks and the overwrite policy.
"""

from __future__ import annotations

from ..errors import ToolError
from .base import POLICIES, EditTarget, Proposal, Tool, make_params, ras_point
from .brush import BrushParams, EraseTool, PaintTool
from .fill import FillParams, FillTool
from .grow import GrowParams, GrowTool
from .interpolate import InterpolateParams, InterpolateTool
from .islands import IslandsParams, IslandsTool
from .logical import LogicalParams, LogicalTool
from .morphology import MarginParams, MarginTool, SmoothingParams, SmoothingTool
from .threshold import ThresholdParams, ThresholdTool

TOOLS: dict[str, type[Tool]] = {
    tool.name: tool
    for tool in (PaintTool, EraseTool, FillTool, GrowTool, IslandsTool, SmoothingTool, MarginTool,
                 InterpolateTool, LogicalTool, ThresholdTool)
}


def tool_class(name: str) -> type[Tool]:
    try:
        return TOOLS[name]
    except KeyError:
        raise ToolError(f"unknown tool {name!r}; available: {', '.join(sorted(TOOLS))}") from None


__all__ = [
    "POLICIES", "TOOLS", "BrushParams", "EditTarget", "EraseTool", "FillParams", "FillTool",
    "GrowParams", "GrowTool", "InterpolateParams", "InterpolateTool", "IslandsParams",
    "IslandsTool", "LogicalParams", "LogicalTool", "MarginParams", "MarginTool", "PaintTool",
    "Proposal", "SmoothingParams", "SmoothingTool", "ThresholdParams", "ThresholdTool", "Tool",
    "make_params", "ras_point", "tool_class",
]
