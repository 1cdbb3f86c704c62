"""A single-slice image (a localizer, one slice of a series) in the 3D view.

Ray casting a volume one voxel thick draws nothing, so the 3D view was empty for such an image.
``Scene3D`` draws its slice as a plane instead, and looks at it face on: from above for an axial
slice (anterior up), from the front for a coronal one and from the right for a sagittal one
(superior up), as Slicer's S, A and R views do.
"""

from __future__ import annotations

from typing import Optional

import numpy as np


def flat_axis(dims) -> Optional[int]:
    """The voxel axis of a single-slice image (its only axis of one voxel); None otherwise."""
    flat = [axis for axis, n in enumerate(dims[:3]) if int(n) == 1]
    return flat[0] if len(flat) == 1 else None


PLANES_ACROSS = ("sagittal", "coronal", "axial")
"""The view plane of a slice whose normal is mostly along R, A or S."""


def slice_plane(dims, ijk_to_ras: np.ndarray) -> Optional[str]:
    """The view plane a single-slice image lies in (a CT scout's "coronal"); None for a volume."""
    axis = flat_axis(dims)
    if axis is None:
        return None
    return PLANES_ACROSS[int(np.argmax(np.abs(np.asarray(ijk_to_ras, float)[:3, axis])))]


def face_on(ijk_to_ras: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """``(direction from the slice towards the camera, view up)`` in RAS for a slice across voxel
    ``axis`` of ``ijk_to_ras``: its normal, turned to the +R, +A or +S side it mostly faces."""
    normal = np.asarray(ijk_to_ras, float)[:3, axis]
    normal = normal / np.linalg.norm(normal)
    dominant = int(np.argmax(np.abs(normal)))
    if normal[dominant] < 0:
        normal = -normal
    up = np.array([0.0, 1.0, 0.0]) if dominant == 2 else np.array([0.0, 0.0, 1.0])
    return normal, up
