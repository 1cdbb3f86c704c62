"""Rulers and angles in the 3D view, as Slicer shows its markups there: each a line through its
points (RAS mm) with its value (``35.2 mm``, ``90.0°``) on a dark box beside it, in a renderer
layered over the scene with the scene's camera, so a ruler across a lesion is seen through the
volume rendering and the label surfaces that would hide it. The 3D view showed none."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LINE_WIDTH = 2.0
FONT_SIZE = 13


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
    label.SetDisplayOffset(int(6 * scale), int(-6 * scale))   # beside the point, off the line
    text = label.GetTextProperty()
    text.SetFontSize(int(round(FONT_SIZE * scale)))
    text.SetColor(*rgb)
    text.SetBackgroundColor(0.0, 0.0, 0.0)
    text.SetBackgroundOpacity(0.78)
    text.SetFrame(False)
    return [line, label]


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

    def show(self, markups, scale: float = 1.0) -> None:
        """Draw ``markups`` (``Markup``) instead of those drawn before."""
        self.renderer.RemoveAllViewProps()
        self.shown, self._scale = tuple(markups), scale
        for markup in self.shown:
            for actor in _actors(markup, scale):
                self.renderer.AddViewProp(actor)

    def sync(self, camera, scale: float = 1.0) -> None:
        """Look through ``camera`` (the scene's), its clipping range fitted to the markups (the
        scene's fits the scene's props: a ruler drawn beyond the image was cut off); lines and
        text drawn ``scale`` times as thick (a HiDPI screen)."""
        if scale != self._scale and self.shown:
            self.show(self.shown, scale)
        own = self.renderer.GetActiveCamera()
        own.DeepCopy(camera)
        if self.shown:
            self.renderer.ResetCameraClippingRange()

    def close(self, window) -> None:
        window.RemoveRenderer(self.renderer)
        self.renderer.RemoveAllViewProps()
        self.renderer = None
