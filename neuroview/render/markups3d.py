"""Rulers and angles in the 3D view, as Slicer shows its markups there: each a line through its
points (RAS mm) with its value (``35.2 mm``, ``90.0°``) on a dark box beside it, in a renderer
layered over the scene with the scene's camera, so a ruler across a lesion is seen through the
volume rendering and the label surfaces that would hide it. The 3D view showed none.

Before each frame the values are placed on the screen so that none covers another
(:func:`stack_boxes`): two rulers ending close together, or a ruler and an angle sharing a point,
wrote their values on top of each other, unreadable. ``vtkLabelPlacementMapper`` avoids overlap
by hiding labels; here every value stays shown, moved down below the ones drawn before it. The
values also stay below the frame's top rows that the window covers (its title strip and a notice
bar floating over the view: ``top`` of :meth:`MarkupLayer.sync`), as the slice views keep theirs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LINE_WIDTH = 2.0
FONT_SIZE = 13
LABEL_OFFSET = (6, -6)
"""Where a value's box starts from its point (display pixels, y up): beside it, off the line."""
LABEL_GAP = 2
"""Display pixels kept between two values' boxes."""


@dataclass(frozen=True)
class Markup:
    """One ruler or angle: its points (RAS mm, in order along the line), its value and colour
    (``(r, g, b)``, 0-255); the value is written at ``points[label_at]``."""

    points: tuple
    text: str
    rgb: tuple
    label_at: int = -1


def _polyline(points):
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonCore import vtkPoints
    from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData, vtkPolyLine

    xyz = np.ascontiguousarray(np.asarray(points, float).reshape(-1, 3))
    vtk_points = vtkPoints()
    vtk_points.SetData(numpy_to_vtk(xyz, deep=True))
    line = vtkPolyLine()
    line.GetPointIds().SetNumberOfIds(len(xyz))
    for n in range(len(xyz)):
        line.GetPointIds().SetId(n, n)
    cells = vtkCellArray()
    cells.InsertNextCell(line)
    data = vtkPolyData()
    data.SetPoints(vtk_points)
    data.SetLines(cells)
    return data


def _actors(markup: Markup, scale: float) -> list:
    from vtkmodules.vtkRenderingCore import (
        vtkActor,
        vtkBillboardTextActor3D,
        vtkPolyDataMapper,
    )

    rgb = tuple(c / 255.0 for c in markup.rgb)
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(_polyline(markup.points))
    line = vtkActor()
    line.SetMapper(mapper)
    line.GetProperty().SetColor(*rgb)
    line.GetProperty().SetLineWidth(LINE_WIDTH * scale)
    line.GetProperty().LightingOff()
    label = vtkBillboardTextActor3D()
    label.SetInput(markup.text)
    label.SetPosition(*np.asarray(markup.points[markup.label_at], float))
    label.SetDisplayOffset(*(int(v * scale) for v in LABEL_OFFSET))
    text = label.GetTextProperty()
    text.SetFontSize(int(round(FONT_SIZE * scale)))
    text.SetColor(*rgb)
    text.SetBackgroundColor(0.0, 0.0, 0.0)
    text.SetBackgroundOpacity(0.78)
    text.SetFrame(False)
    return [line, label]


def stack_boxes(boxes, gap: float) -> list[float]:
    """How far down (display pixels) to move each box ``(x0, y0, x1, y1)`` (y up) so that it keeps
    ``gap`` from every box before it, moved too; the first stays. A box only moves down, below the
    one it meets, so the oldest value stays put as markups are added."""
    placed, shifts = [], []
    for x0, y0, x1, y1 in boxes:
        dy, moved = 0.0, True
        while moved:
            moved = False
            for px0, py0, px1, py1 in placed:
                if x0 < px1 + gap and px0 < x1 + gap and y0 + dy < py1 + gap and py0 < y1 + dy + gap:
                    dy, moved = py0 - gap - y1, True
        placed.append((x0, y0 + dy, x1, y1 + dy))
        shifts.append(dy)
    return shifts


def _text_size(label, dpi: int) -> tuple[int, int]:
    """The size (pixels) of ``label``'s box, as the text renderer draws it."""
    from vtkmodules.vtkRenderingCore import vtkTextRenderer

    box = [0, 0, 0, 0]
    vtkTextRenderer.GetInstance().GetBoundingBox(label.GetTextProperty(), label.GetInput(), box, dpi)
    return box[1] - box[0] + 1, box[3] - box[2] + 1


class MarkupLayer:
    """The renderer drawing the markups over a scene's renderer (``layer`` of its window)."""

    def __init__(self, window, layer: int = 1) -> None:
        from vtkmodules.vtkRenderingCore import vtkCamera, vtkRenderer

        self.renderer = vtkRenderer()
        self.renderer.SetLayer(layer)
        self.renderer.InteractiveOff()
        self.renderer.SetActiveCamera(vtkCamera())
        window.AddRenderer(self.renderer)
        self.shown: tuple = ()
        self._scale = 1.0
        self._labels: list = []   # (label actor, its point, its box's size) of the markups shown
        self.label_boxes: list[tuple] = []
        """The values' boxes ``(x0, y0, x1, y1)`` (display pixels, y up) of the last frame."""
        self.top = 0
        """The frame's top rows (display pixels) the values were kept below in the last frame."""

    def show(self, markups, scale: float = 1.0) -> None:
        """Draw ``markups`` (``Markup``) instead of those drawn before."""
        self.renderer.RemoveAllViewProps()
        self.shown, self._scale, self._labels = tuple(markups), scale, []
        for markup in self.shown:
            line, label = _actors(markup, scale)
            self.renderer.AddViewProp(line)
            if markup.text:
                self.renderer.AddViewProp(label)
                size = _text_size(label, self.renderer.GetRenderWindow().GetDPI())
                self._labels.append((label, markup.points[markup.label_at], size))

    def sync(self, camera, scale: float = 1.0, top: int = 0) -> None:
        """Look through ``camera`` (the scene's), its clipping range fitted to the markups (the
        scene's fits the scene's props: a ruler drawn beyond the image was cut off); lines and
        text drawn ``scale`` times as thick (a HiDPI screen); the values kept below the frame's
        ``top`` rows (display pixels: what the window draws over the frame there)."""
        if scale != self._scale and self.shown:
            self.show(self.shown, scale)
        own = self.renderer.GetActiveCamera()
        own.DeepCopy(camera)
        if self.shown:
            self.renderer.ResetCameraClippingRange()
        self.label_boxes, offsets = self._placement(top)
        self.top = int(top)
        for (label, _point, _size), offset in zip(self._labels, offsets):
            label.SetDisplayOffset(*offset)

    def moved_by(self, top: int) -> bool:
        """Whether keeping the values below ``top`` rows instead of :attr:`top` moves any of them
        (this camera, the last frame's size): a notice bar came or went over them."""
        return int(top) != self.top and self._placement(top)[0] != self.label_boxes

    def _placement(self, top: int) -> tuple[list, list]:
        """The values' boxes and display offsets: each below the ``top`` rows, then moved down
        below the ones drawn before it that it would cover (this camera)."""
        if not self._labels:
            return [], []
        ox, oy = (int(v * self._scale) for v in LABEL_OFFSET)
        ceiling = self.renderer.GetRenderWindow().GetSize()[1] - int(top) - LABEL_GAP * self._scale
        boxes, anchors = [], []
        for _label, point, (w, h) in self._labels:
            self.renderer.SetWorldPoint(*(float(v) for v in point), 1.0)
            self.renderer.WorldToDisplay()
            x, y, _z = self.renderer.GetDisplayPoint()
            x0, y0 = round(x) + ox, round(y) + oy
            if top:   # below the covered rows
                y0 -= max(0, round(y0 + h - ceiling))
            boxes.append((x0, y0, x0 + w, y0 + h))
            anchors.append(round(y))
        shifts = stack_boxes(boxes, LABEL_GAP * self._scale)
        placed = [(x0, y0 + dy, x1, y1 + dy) for (x0, y0, x1, y1), dy in zip(boxes, shifts)]
        return placed, [(ox, int(box[1] - y)) for box, y in zip(placed, anchors)]

    def close(self, window) -> None:
        window.RemoveRenderer(self.renderer)
        self.renderer.RemoveAllViewProps()
        self.renderer = None
