"""The 3D view's slice planes: the slice image of a voxel axis, in the 2D views' grey window/level,
with the air around the head transparent instead of a black square."""

from __future__ import annotations

import numpy as np

PLANE_TABLE_SIZE = 256


def plane_table():
    """A grey lookup table whose values below its range are transparent."""
    from vtkmodules.vtkCommonCore import vtkLookupTable

    table = vtkLookupTable()
    table.SetNumberOfTableValues(PLANE_TABLE_SIZE)
    table.UseBelowRangeColorOn()
    table.SetBelowRangeColor(0, 0, 0, 0)
    return table


def plane_actor(image, axis: int, user_matrix):
    """The slice of ``image`` (vtkImageData) across voxel ``axis``, unshaded, placed by
    ``user_matrix`` (a vtkMatrix4x4: voxel grid to RAS); its window is set by
    :func:`set_plane_window`."""
    from vtkmodules.vtkRenderingCore import vtkImageProperty, vtkImageSlice, vtkImageSliceMapper

    mapper = vtkImageSliceMapper()
    mapper.SetInputData(image)
    mapper.SetOrientation(axis)
    prop = vtkImageProperty()
    prop.SetInterpolationTypeToLinear()
    prop.SetLookupTable(plane_table())
    prop.UseLookupTableScalarRangeOn()
    prop.SetAmbient(1.0)  # the slice image as in the 2D views, not shaded
    prop.SetDiffuse(0.0)
    actor = vtkImageSlice()
    actor.SetMapper(mapper)
    actor.SetProperty(prop)
    actor.SetUserMatrix(user_matrix)
    return actor


def set_plane_window(actor, window: float, level: float, air: float,
                     inverted: bool = False) -> None:
    """Grey ramp of the 2D views' window/level over ``[air, level + window/2]`` in ``actor``'s
    table; values at or below ``air`` (the background around the head) transparent, so a plane is
    not a black square. ``inverted``: the ramp turned over, as the 2D views draw a MONOCHROME1
    image."""
    table = actor.GetProperty().GetLookupTable()
    low, high = level - window / 2.0, level + window / 2.0
    top = max(high, air + 1e-6)
    table.SetTableRange(air, top)
    values = np.linspace(air, top, PLANE_TABLE_SIZE)
    grey = np.clip((values - low) / max(window, 1e-12), 0.0, 1.0)
    if inverted:
        grey = 1.0 - grey
    for n, g in enumerate(grey):
        table.SetTableValue(n, g, g, g, 0.0 if n == 0 else 1.0)
    table.Modified()
