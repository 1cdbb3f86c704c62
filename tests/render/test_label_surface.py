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


def _arrays(surface):
    data = surface.polydata
    return [vtk_to_numpy(data.GetPoints().GetData()), vtk_to_numpy(data.GetPolys().GetConnectivityArray()),
            vtk_to_numpy(data.GetPolys().GetOffsetsArray()),
            vtk_to_numpy(data.GetPointData().GetScalars()), vtk_to_numpy(data.GetPointData().GetNormals())]


def test_surfaces_from_the_labelled_box_equal_those_from_the_whole_grid(monkeypatch):
    """Flying edges runs over the box of the labelled voxels (one voxel more each side), not the
    whole grid: the same points, triangles, labels and normals, bit for bit, for labels inside the
    grid and on its faces."""
    from neuroview.render import label_mesh, prepare3d

    labels = np.zeros((60, 50, 40), np.uint8)
    labels[20:30, 14:22, 10:15] = 1
    labels[22:26, 30:33, 12:20] = 3
    on_faces = labels.copy()
    on_faces[0:6, 45:50, 30:40] = 2
    for case in (labels, on_faces):
        boxed = prepare3d.build_label_surface(case, np.eye(4), [])
        with monkeypatch.context() as patch:
            patch.setattr(label_mesh, "labelled_box", lambda mask: tuple(slice(0, n) for n in mask.shape))
            whole = prepare3d.build_label_surface(case, np.eye(4), [])
        assert boxed.polydata.GetNumberOfPoints() > 100
        assert all(np.array_equal(a, b) for a, b in zip(_arrays(boxed), _arrays(whole)))
    assert label_mesh.labelled_box(labels != 0) == (slice(19, 31), slice(13, 34), slice(9, 21))
    assert label_mesh.labelled_box(on_faces != 0) == (slice(0, 31), slice(13, 50), slice(9, 40))
