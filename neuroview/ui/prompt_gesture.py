"""An AI click prompt given with the mouse on a slice view: a click (left: include; right or
Shift: exclude) is a point, a drag a box (or a scribble), a Ctrl+drag a lasso. The view collects
the voxel centres under the pointer; :func:`finish` hands the prompt to the AI click tool."""

from __future__ import annotations

from PySide6.QtCore import Qt

CLICK_PX = 4
"""A release closer than this (widget pixels) to its press is a click: a point prompt."""


def start(p_ras, button, modifiers):
    """The prompt a press at ``p_ras`` begins: ``(include, [points], lasso)``; ``None``: outside."""
    exclude = button == Qt.RightButton or bool(modifiers & Qt.ShiftModifier)
    lasso = bool(modifiers & Qt.ControlModifier)
    return None if p_ras is None else (not exclude, [p_ras], lasso)


def finish(ai_click, plane: str, prompt, moved_px: float) -> None:
    """Give ``prompt`` (as :func:`start` made it, with the points dragged through) to
    ``ai_click``, the pointer having moved ``moved_px`` between press and release."""
    include, points, lasso = prompt
    if lasso and len(points) >= 3:
        ai_click.prompt(plane, "lasso", include, points)
    elif moved_px < CLICK_PX:
        ai_click.prompt(plane, "point", include, points[:1])
    elif ai_click.scribble:
        ai_click.prompt(plane, "scribble", include, points)
    else:
        ai_click.prompt(plane, "box", include, [points[0], points[-1]])
