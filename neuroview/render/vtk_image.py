"""numpy arrays as VTK image data, in the grid's voxel sizes."""

from __future__ import annotations

import numpy as np


def voxel_sizes(affine: np.ndarray) -> np.ndarray:
    """The lengths of an ``ijk_to_ras``'s axes (mm per voxel step; 1 for a degenerate axis)."""
    sizes = np.linalg.norm(np.asarray(affine, dtype=float)[:3, :3], axis=0)
    return np.where(sizes > 0, sizes, 1.0)


def image_data(array: np.ndarray, affine: np.ndarray | None = None):
    """vtkImageData of ``array``, x = i fastest as VTK expects, origin 0, spacing the voxel sizes
    of ``affine`` (1 without one): shown with :func:`.prepare3d.actor_matrix` as user matrix."""
    from vtkmodules.util.numpy_support import numpy_to_vtk
    from vtkmodules.vtkCommonDataModel import vtkImageData

    image = vtkImageData()
    image.SetDimensions(*array.shape[:3])
    if affine is not None:
        image.SetSpacing(*(float(s) for s in voxel_sizes(affine)))
    scalars = numpy_to_vtk(np.asarray(array).ravel(order="F"), deep=True)
    image.GetPointData().SetScalars(scalars)
    return image
