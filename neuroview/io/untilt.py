"""A gantry-tilted volume resampled onto a grid without shear, for tools that cannot hold a
sheared grid (ITK, and so SimpleITK, ANTs, ITK-SNAP, Slicer): ``neuroview convert --tilt
resample``, as dcm2niix's ``_Tilt_1`` volume.

A tilted series' slices are parallel planes, each shifted in plane by the same step from the
one before. Every slice stays in its plane: it is moved in plane (linear interpolation within the
slice, none between slices) onto a grid whose slice axis is the planes' normal, widened so that
no acquired voxel falls outside. Where no slice was acquired the grid holds air on a CT (-1024
HU, as padding reads), else 0 (an MR's background): the same for every time point of a 4D image
and for one time point converted alone (``convert --frame N``). Until session 35 it held the
minimum of what was resampled, the whole run's or the one time point's, so the two differed.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Optional

import numpy as np

from ..core.ct_padding import AIR_HU
from ..core.geometry import shear_axis, slice_plane_normal
from ..core.volume import Volume

SNAP = 1e-4
"""A slice's shift (voxels) this close to a whole number is taken for it (positions in DICOM are
decimal strings, rounded)."""


def outside_value(volume: Volume) -> float:
    """What the grid holds where no slice was acquired: air on a CT, else 0 (module docstring)."""
    return float(AIR_HU) if volume.is_ct() else 0.0


def untilted(volume: Volume, fill: Optional[float] = None) -> Optional[Volume]:
    """``volume`` resampled onto a grid without shear (module docstring), its values rounded to
    the volume's type; None where its grid has no tilt's shear. ``fill``: where no slice was
    acquired (:func:`outside_value` of ``volume`` without; of the whole image when ``volume`` is
    one of its time points)."""
    from scipy import ndimage

    affine = np.asarray(volume.ijk_to_ras, dtype=float)
    linear = affine[:3, :3]
    axis = shear_axis(linear)
    if axis is None:
        return None
    a, b = (n for n in range(3) if n != axis)
    normal = slice_plane_normal(linear, axis)
    step = float(normal @ linear[:, axis])
    shift = linear[:, axis] - step * normal  # in plane, per slice (mm)
    per_slice = np.array([shift @ linear[:, n] / (linear[:, n] @ linear[:, n]) for n in (a, b)])
    count = volume.array.shape[axis]
    lows = np.floor(np.minimum(0.0, per_slice * (count - 1)) + 1e-6)
    highs = np.ceil(np.maximum(0.0, per_slice * (count - 1)) - 1e-6)
    planes = np.moveaxis(np.asarray(volume.array), (a, b, axis), (0, 1, 2))
    out_shape = (planes.shape[0] + int(highs[0] - lows[0]), planes.shape[1] + int(highs[1] - lows[1]))
    fill = outside_value(volume) if fill is None else fill
    out = np.empty(out_shape + planes.shape[2:], dtype=planes.dtype)
    integer = np.issubdtype(planes.dtype, np.integer)
    for k in range(count):
        offset = lows - k * per_slice  # output (U, V) reads the acquired slice at (U, V) + offset
        # a whole-voxel shift within the positions' rounding is one: read just past the edge,
        # the last row would be lost to the fill
        offset = np.where(np.abs(offset - np.rint(offset)) < SNAP, np.rint(offset), offset)
        for rest in np.ndindex(*planes.shape[3:]):
            plane = np.asarray(planes[(slice(None), slice(None), k, *rest)], dtype=np.float32)
            moved = ndimage.affine_transform(plane, np.eye(2), offset=offset, output_shape=out_shape,
                                             order=1, mode="constant", cval=fill)
            if integer:
                info = np.iinfo(planes.dtype)
                moved = np.clip(np.rint(moved), info.min, info.max)
            out[(slice(None), slice(None), k, *rest)] = moved
    new_affine = affine.copy()
    new_affine[:3, axis] = step * normal
    new_affine[:3, 3] = affine[:3, 3] + lows[0] * linear[:, a] + lows[1] * linear[:, b]
    array = np.asfortranarray(np.moveaxis(out, (0, 1, 2), (a, b, axis)))
    size = "x".join(str(n) for n in array.shape[:3])
    note = (f"gantry tilt of {math.degrees(math.atan2(np.linalg.norm(shift), abs(step))):.2f} "
            f"degrees: written resampled onto a grid without shear, {size} (each slice moved in "
            "plane, linear interpolation)")
    kept = [w for w in volume.warnings if not w.startswith("gantry tilt of")]   # "loaded on the
    # sheared grid as acquired (not resampled)": no longer so
    return dataclasses.replace(volume, array=array, ijk_to_ras=new_affine, warnings=[*kept, note])
