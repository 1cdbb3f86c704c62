"""Which segments get a 3D surface: every label value present in the map, but hidden ones and
segments made invisible; none at all gives no surface (``render.prepare3d.build_label_surface``,
which finds the values from the labelled voxels only)."""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy

from neuroview.core.labels import Segment
from neuroview.render.prepare3d import build_label_surface


def _drawn_values(surface) -> set[int]:
    return {int(v) for v in np.unique(vtk_to_numpy(surface.polydata.GetPointData().GetScalars()))}


def test_surfaces_of_the_present_visible_values_only():
    labels = np.zeros((30, 28, 26), np.uint16)
    for n, value in enumerate((2, 5, 300, 7)):
        labels[3 + 6 * n: 8 + 6 * n, 5:15, 5:15] = value
    segments = [Segment(2, "two", (200, 0, 0)), Segment(5, "invisible", (0, 200, 0), visible=False)]
    surface = build_label_surface(labels, np.diag([2.0, 2.0, 2.0, 1.0]), segments, hidden={300})
    assert _drawn_values(surface) == {2, 7}     # 5 invisible, 300 hidden, 4 never painted
    assert surface.top == 7
    assert _drawn_values(build_label_surface(labels, np.eye(4), [], ())) == {2, 5, 7, 300}
    assert build_label_surface(labels, np.eye(4), segments, hidden={2, 7, 300}) is None
    assert build_label_surface(np.zeros((8, 8, 8), np.uint8), np.eye(4), [], ()) is None
