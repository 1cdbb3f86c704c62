"""The AI click prompts of the object in progress drawn over a slice view (moved out of
``slice_widget.py``, unchanged)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen


def draw_prompts(painter: QPainter, controller, geom, plane: str) -> None:
    """The prompts that lie on the slice ``geom`` (widget geometry) shows, within half a slice
    step, or half a voxel's depth along the view's normal where that is more: clicks as dots,
    boxes as rectangles, scribbles and lassos as lines; green for include, red for exclude (as
    nnInteractive's plug-ins show them). A prompt's points are the centres of the voxels under
    the pointer; on a view resliced through an oblique grid they lie off its plane by up to half
    a voxel's depth (0.64 mm on a 0.5 x 0.5 x 3 mm grid turned 14 degrees, whose slice step is
    0.52 mm), and a lasso or box drawn there was not shown at all."""
    session = getattr(controller.editor, "session", None)
    prompting = getattr(session, "prompting", None)
    if prompting is None or not prompting.prompts.prompts:
        return
    grid = controller.labels if controller.labels is not None else controller.volume
    depth = float(np.abs(np.asarray(grid.ijk_to_ras, float)[:3, :3].T @ geom.normal).sum())
    half = max(controller.state.slice_step_mm(plane), depth) / 2 + 1e-6
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    for prompt in prompting.prompts.prompts:
        points = np.asarray(prompt.points if prompt.kind in ("scribble", "lasso")
                            else prompt.points_ras(), float).reshape(-1, 3)
        if np.any(np.abs((points - geom.origin_ras) @ geom.normal) > half):
            continue
        color = QColor(40, 220, 60) if prompt.include else QColor(235, 50, 50)
        pixels = [QPointF(*geom.ras_to_pixel(p)) for p in points]
        painter.setPen(QPen(color, 2.0))
        if prompt.kind == "point":
            painter.setBrush(color)
            painter.setPen(QPen(QColor(0, 0, 0), 1.0))
            painter.drawEllipse(pixels[0], 4.5, 4.5)
            painter.setBrush(Qt.NoBrush)
        elif prompt.kind == "box":
            a, b = pixels
            painter.drawRect(QRectF(a, b).normalized())
        elif prompt.kind == "lasso":
            painter.drawPolygon(pixels)
        else:
            painter.drawPolyline(pixels)
    painter.restore()
