"""The 3D view's orientation marker: a cube labelled R/L, A/P, S/I in the lower-left corner, drawn
over the scene and turned with its camera, as every 3D viewer's orientation marker."""

from __future__ import annotations

import numpy as np

MARKER_FRACTION = 0.15
"""The orientation marker's share of the view's width and height (lower-left corner)."""


def build_orientation_marker(window):
    """The marker's renderer, added to ``window`` over the scene and its markups (layer 2 of 3)."""
    from vtkmodules.vtkRenderingAnnotation import vtkAnnotatedCubeActor
    from vtkmodules.vtkRenderingCore import vtkRenderer

    cube = vtkAnnotatedCubeActor()
    for face, text in (("XPlus", "R"), ("XMinus", "L"), ("YPlus", "A"), ("YMinus", "P"),
                       ("ZPlus", "S"), ("ZMinus", "I")):
        getattr(cube, f"Set{face}FaceText")(text)
    cube.SetFaceTextScale(0.65)
    cube.GetCubeProperty().SetColor(0.35, 0.38, 0.55)
    cube.GetTextEdgesProperty().SetColor(0.9, 0.9, 0.9)
    cube.GetTextEdgesProperty().SetLineWidth(1.5)
    for name, rgb in (("XPlus", (1.0, 0.55, 0.55)), ("XMinus", (1.0, 0.55, 0.55)),
                      ("YPlus", (0.55, 1.0, 0.55)), ("YMinus", (0.55, 1.0, 0.55)),
                      ("ZPlus", (0.6, 0.7, 1.0)), ("ZMinus", (0.6, 0.7, 1.0))):
        getattr(cube, f"Get{name}FaceProperty")().SetColor(*rgb)
    marker = vtkRenderer()
    marker.SetViewport(0.0, 0.0, MARKER_FRACTION, MARKER_FRACTION)
    marker.SetLayer(2)   # over the markups
    marker.InteractiveOff()
    marker.AddActor(cube)
    window.SetNumberOfLayers(3)
    window.AddRenderer(marker)
    return marker


def sync_orientation_marker(marker, scene_camera) -> None:
    """Turn the ``marker`` renderer's camera with ``scene_camera``: it shows the patient's axes as
    seen now."""
    camera = marker.GetActiveCamera()
    direction = np.array(scene_camera.GetDirectionOfProjection())
    camera.SetFocalPoint(0, 0, 0)
    camera.SetPosition(*(-4.0 * direction))
    camera.SetViewUp(*scene_camera.GetViewUp())
    marker.ResetCamera()
    camera.Zoom(1.1)
