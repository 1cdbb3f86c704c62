"""Grids, targets and a headless press/drag/release of an editing tool: helpers that
test_edit_tools.py and test_grow_wording.py share (test modules import helpers from a helper
module, never from another test module)."""

import numpy as np
from nibabel.affines import apply_affine

from neuroview.core import geometry
from neuroview.core.edit import EditTarget, tool_class
from neuroview.core.edit.base import make_params
from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume


def _rotation(axis, degrees):
    """The rotation by ``degrees`` about axis ``axis`` (0, 1, 2)."""
    a = np.deg2rad(degrees)
    c, s = np.cos(a), np.sin(a)
    i, j = [n for n in range(3) if n != axis]
    r = np.eye(3)
    r[i, i], r[i, j], r[j, i], r[j, j] = c, -s, s, c
    return r


GRIDS = {
    "isotropic": ((40, 40, 40), (1.0, 1.0, 1.0), np.eye(3)),
    "anisotropic": ((60, 50, 18), (0.6, 0.9, 2.5), np.diag([-1.0, -1.0, 1.0])),
    "oblique": ((50, 50, 30), (0.8, 1.0, 1.7), _rotation(0, 25) @ _rotation(2, 15)),
    # a gantry tilt: slices 2.5 mm apart along k, sheared 20 degrees toward j, the grid rotated
    "tilted": ((40, 40, 16), (0.8, 0.9, 2.5),
               _rotation(2, 10) @ np.array([[1.0, 0.0, 0.0], [0.0, 1.0, np.sin(np.radians(20))],
                                            [0.0, 0.0, np.cos(np.radians(20))]])),
}


def make_volume(kind, image=None):
    shape, spacing, directions = GRIDS[kind]
    affine = geometry.affine_from_spacing(spacing, (-12.0, 7.0, 3.0), directions)
    if image is None:
        image = np.zeros(shape, dtype=np.float32)
    return Volume(image, affine)


def make_target(volume, policy="all", names=("a",)):
    labels = LabelMap.empty_like(volume)
    for name in names:
        labels.segments.add(name)
    return EditTarget(volume, labels, policy)


def ras_of_all_voxels(volume):
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in volume.shape], indexing="ij"), axis=-1)
    return apply_affine(volume.ijk_to_ras, ijk)


def distance_to_segment(points, a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(ab @ ab, 1e-12), 0, 1)
    return np.linalg.norm(points - (a + t[..., None] * ab), axis=-1)


def run_tool(target, name, points=(None,), **params):
    cls = tool_class(name)
    tool = cls(target, make_params(cls.Params, params, name))
    tool.press(points[0])
    for p in points[1:]:
        tool.drag(p)
    return tool.release()
