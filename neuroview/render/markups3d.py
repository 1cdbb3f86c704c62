"""Rulers, angles and ellipses in the 3D view, as Slicer shows its markups there: each a line
through its points (RAS mm; round an ellipse) with its value (``35.2 mm``, ``90.0°``) on a dark
box beside it, in a renderer
layered over the scene with the scene's camera, so a ruler across a lesion is seen through the
volume rendering and the label surfaces that would hide it. The 3D view showed none.

Before each frame the values are placed on the screen so that none covers a markup's line
(:func:`_beside`: another side of its point, else further off, as the slice views place an
ellipse's figures; an angle's degrees beside two crossing rulers lay over one of them) nor another
(:func:`stack_boxes`): two rulers ending close together, or a ruler and an angle sharing a point,
wrote their values on top of each other, unreadable. ``vtkLabelPlacementMapper`` avoids overlap
by hiding labels; here every value stays shown, on a free side or, where none is, below the ones
drawn before it. Each
value is drawn whole inside the frame (one beside a point near the right or bottom edge was cut
off there), and below the frame's top rows that the window covers (its title strip and a notice
bar floating over the view: ``top`` of :meth:`MarkupLayer.sync`), as the slice views keep theirs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LINE_WIDTH = 2.0
FONT_SIZE = 13
LABEL_OFFSET = (6, -6)
"""How far a value's box keeps from its point (display pixels, y up): beside it, off the line,
on the side away from the markup's other points (:func:`_away`)."""
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


def stack_boxes(boxes, gap: float, floor: float | None = None) -> list[float]:
    """How far (display pixels, y up) to move each box ``(x0, y0, x1, y1)`` so that it keeps
    ``gap`` from every box before it, moved too; the first stays. A box moves down, below the
    one it meets, so the oldest value stays put as markups are added; one that would go below
    ``floor`` (the frame's bottom) moves up above the ones it meets instead."""
    placed, shifts = [], []
    for box in boxes:
        dy = _clear_of(placed, box, gap, down=True)
        if floor is not None and box[1] + dy < floor:
            dy = _clear_of(placed, box, gap, down=False)
        placed.append((box[0], box[1] + dy, box[2], box[3] + dy))
        shifts.append(dy)
    return shifts


def _clear_of(placed, box, gap: float, down: bool) -> float:
    """The shift (y up) that takes ``box`` clear of each box in ``placed``: below or above them."""
    x0, y0, x1, y1 = box
    dy, moved = 0.0, True
    while moved:
        moved = False
        for px0, py0, px1, py1 in placed:
            if x0 < px1 + gap and px0 < x1 + gap and y0 + dy < py1 + gap and py0 < y1 + dy + gap:
                dy, moved = (py0 - gap - y1) if down else (py1 + gap - y0), True
    return dy


def _text_box(label, dpi: int) -> tuple[int, int, int, int]:
    """``label``'s box as the text renderer draws it: its corner from the text's anchor (its
    padding puts it 2 pixels left of and below the anchor) and its size (pixels)."""
    from vtkmodules.vtkRenderingCore import vtkTextRenderer

    box = [0, 0, 0, 0]
    vtkTextRenderer.GetInstance().GetBoundingBox(label.GetTextProperty(), label.GetInput(), box, dpi)
    return box[0], box[2], box[1] - box[0] + 1, box[3] - box[2] + 1


def _inside(start: float, size: float, low: float, high: float) -> float:
    """``start`` moved so that ``[start, start + size]`` lies within ``[low, high]`` (at ``low``
    when it is wider than that)."""
    return max(low, min(start, high - size))


def _away(anchor, shown) -> tuple[float, float]:
    """The direction (display pixels, y up) from the middle of a markup's points ``shown`` (those
    in front of the camera) to its value's point ``anchor``: the value goes that way off its
    point, on the side its own line does not reach (a ruler's length beyond its end; right of
    its end, it lay over the ruler's own line when the ruler went right from there)."""
    shown = [p for p in shown if p is not None]
    middle = np.mean(shown, axis=0) if shown else anchor
    return anchor[0] - middle[0], anchor[1] - middle[1]


def _line_pixels(lines, width: int, height: int) -> np.ndarray:
    """The points, one a pixel, along the parts inside the ``width`` x ``height`` frame of the
    segments of ``lines`` (each a markup's points on the display, ``None`` behind the camera; a
    point close to the camera's plane lies millions of pixels off): ``(n, 2)``."""
    pieces = [np.zeros((0, 2))]
    for line in lines:
        for a, b in zip(line, line[1:]):
            if a is None or b is None:
                continue
            a, b = np.asarray(a, float), np.asarray(b, float)
            low, high = 0.0, 1.0   # the segment's part inside the frame (Liang-Barsky)
            for start, delta, size in ((a[0], b[0] - a[0], width), (a[1], b[1] - a[1], height)):
                if delta == 0:
                    low, high = (low, high) if 0 <= start <= size else (1.0, 0.0)
                    continue
                t0, t1 = sorted(((0 - start) / delta, (size - start) / delta))
                low, high = max(low, t0), min(high, t1)
            if low <= high:
                a, b = a + low * (b - a), a + high * (b - a)
                t = np.linspace(0.0, 1.0, int(np.hypot(*(b - a))) + 2)[:, None]
                pieces.append(a + t * (b - a))
    return np.concatenate(pieces)


def _covers(box, pixels: np.ndarray, margin: float) -> bool:
    """Whether ``box`` ``(x0, y0, x1, y1)`` comes within ``margin`` of one of ``pixels``."""
    x, y = pixels[:, 0], pixels[:, 1]
    return bool(np.any((x >= box[0] - margin) & (x <= box[2] + margin) &
                       (y >= box[1] - margin) & (y <= box[3] + margin)))


def _beside(x: int, y: int, size, away, offset, frame, pixels, margin: float,
            taken=()) -> tuple:
    """The corner ``(x0, y0)`` of a box of ``size`` ``(w, h)`` beside the point ``(x, y)``, as
    :func:`..ui.measure_draw.beside` places a shape's figures in 2D: ``offset`` off it on the side
    ``away`` points to, else on another side, else further off diagonally (steps of half its
    height, up to four heights), the first that lies within ``frame`` ``(x0, y0, x1, y1)`` and
    comes within ``margin`` of no line's ``pixels`` (an angle's degrees were written over another
    ruler's line) nor of a box of ``taken`` (the values placed before); else the first that comes
    near no line (:func:`stack_boxes` then moves it off the values); else the first."""
    (w, h), (ox, oy) = size, offset
    xs = (x + ox, x - ox - w) if away[0] >= 0 else (x - ox - w, x + ox)
    ys = (y - oy, y + oy - h) if away[1] >= 0 else (y + oy - h, y - oy)
    first, off_lines = None, None
    for step in range(0, 4 * h + 1, max(1, h // 2)):
        for x0 in xs:
            for y0 in ys:
                dx, dy = (step if x0 > x else -step), (step if y0 > y else -step)
                corner = (_inside(x0 + dx, w, frame[0], frame[2]),
                          _inside(y0 + dy, h, frame[1], frame[3]))
                box = (*corner, corner[0] + w, corner[1] + h)
                first = first or corner
                if _covers(box, pixels, margin):
                    continue
                if not any(_meets(box, other, margin) for other in taken):
                    return corner
                off_lines = off_lines or corner
    return off_lines or first


def _meets(box, other, gap: float) -> bool:
    """Whether the boxes ``box`` and ``other`` ``(x0, y0, x1, y1)`` come within ``gap``."""
    return box[0] < other[2] + gap and other[0] < box[2] + gap and \
        box[1] < other[3] + gap and other[1] < box[3] + gap


def _offset(box, corner) -> tuple[int, int]:
    return int(box[0] - corner[0]), int(box[1] - corner[1])


class MarkupLayer:
    """The renderer drawing the markups over a scene's renderer (``layer`` of its window)."""

    def __init__(self, window, layer: int = 1) -> None:
        from vtkmodules.vtkRenderingCore import vtkCamera, vtkRenderer

        self.renderer = vtkRenderer()
        self.renderer.SetLayer(layer)
        self.renderer.InteractiveOff()
        self.renderer.SetActiveCamera(vtkCamera())
        self.renderer.GetCullers().RemoveAllItems()   # the values' placement decides (_placement)
        window.AddRenderer(self.renderer)
        self.shown: tuple = ()
        self._scale = 1.0
        self._labels: list = []   # (label actor, its point, _text_box, all points) of the markups
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
                box = _text_box(label, self.renderer.GetRenderWindow().GetDPI())
                self._labels.append((label, markup.points[markup.label_at], box, markup.points))

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
        for (label, *_rest), offset in zip(self._labels, offsets):
            label.SetVisibility(offset is not None)
            if offset is not None:
                label.SetDisplayOffset(*offset)

    def moved_by(self, top: int) -> bool:
        """Whether keeping the values below ``top`` rows instead of :attr:`top` moves any of them
        (this camera, the last frame's size): a notice bar came or went over them."""
        return int(top) != self.top and self._placement(top)[0] != self.label_boxes

    def _display(self, point) -> tuple[float, float] | None:
        """Where ``point`` (RAS mm) is drawn (display pixels, y up); ``None`` behind the camera."""
        camera = self.renderer.GetActiveCamera()
        point = np.asarray(point, float)
        if np.dot(point - camera.GetPosition(), camera.GetDirectionOfProjection()) <= 0:
            return None
        self.renderer.SetWorldPoint(*point, 1.0)
        self.renderer.WorldToDisplay()
        x, y, _z = self.renderer.GetDisplayPoint()
        return x, y

    def _placement(self, top: int) -> tuple[list, list]:
        """The boxes of the values shown and each value's display offset (``None``: not shown).
        Each is wholly inside the frame, below its ``top`` rows, moved below (or, at the frame's
        bottom, above) the ones drawn before it that it would cover (this camera): a value beside
        a point near an edge was cut off there. A value whose point lies beyond an edge is drawn
        at that edge while part of its markup shows, and not at all when none does or its point
        is behind the camera (VTK's culling drew it at the edge or left it out, by chance)."""
        if not self._labels:
            return [], []
        ox, oy = (int(v * self._scale) for v in LABEL_OFFSET)
        gap = LABEL_GAP * self._scale
        width, height = self.renderer.GetRenderWindow().GetSize()

        def on_screen(p) -> bool:
            return p is not None and 0 <= p[0] < width and 0 <= p[1] < height

        pixels = _line_pixels([[self._display(p) for p in m.points] for m in self.shown],
                              width, height)
        frame = (gap, gap, width - gap, height - int(top) - gap)
        margin = gap + LINE_WIDTH * self._scale
        boxes, anchors = [], []
        for _label, point, (bx, by, w, h), points in self._labels:
            anchor = self._display(point)
            if anchor is None or not any(on_screen(self._display(p)) for p in points):
                anchors.append(None)
                continue
            x, y = round(anchor[0]), round(anchor[1])
            away = _away(anchor, [self._display(p) for p in points])
            x0, y0 = _beside(x, y, (w, h), away, (ox, oy), frame, pixels, margin, boxes)
            boxes.append((x0, y0, x0 + w, y0 + h))
            anchors.append((x + bx, y + by))   # where the box's corner is at offset 0
        shifts = iter(stack_boxes(boxes, gap, floor=gap))
        placed = [(x0, y0 + dy, x1, y1 + dy) for (x0, y0, x1, y1), dy in zip(boxes, shifts)]
        corners = iter(placed)
        offsets = [None if a is None else _offset(next(corners), a) for a in anchors]
        return placed, offsets

    def close(self, window) -> None:
        window.RemoveRenderer(self.renderer)
        self.renderer.RemoveAllViewProps()
        self.renderer = None
