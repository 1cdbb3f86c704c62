"""Small synthetic studies with known geometry: the same anatomy stored as RAS, LPS and oblique."""

from __future__ import annotations

import numpy as np

from neuroview.core.labels import LabelMap
from neuroview.core.volume import Volume

N = 48
SPACING = 2.0
BLOB_RAS = np.array([14.0, -18.0, 10.0])
"""A labelled spot right-posterior-superior of the centre... (R+ is patient right)."""


def intensity_at(p_ras: np.ndarray) -> np.ndarray:
    """An image defined in world space: a bright ball of radius 30 mm plus a gradient along R."""
    r = np.linalg.norm(p_ras, axis=-1)
    return (200.0 * (r < 30) + 2.0 * p_ras[..., 0] + 100.0).astype(np.float32)


def grid_points(shape, affine) -> np.ndarray:
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), axis=-1)
    return ijk @ affine[:3, :3].T + affine[:3, 3]


def make_case(affine: np.ndarray, shape=(N, N, N), blob_radius=4.0):
    """Volume and label map sampled from the world-space definition on the grid ``affine``."""
    p = grid_points(shape, affine)
    volume = Volume(intensity_at(p), affine, modality="MR", description="synthetic")
    label = (np.linalg.norm(p - BLOB_RAS, axis=-1) <= blob_radius).astype(np.uint8)
    labels = LabelMap.from_array(label, affine, names={1: "lesion"})
    if 1 in labels.segments:
        labels.segments.get(1).color = (255, 0, 0)
    return volume, labels


def centred_affine(rotation: np.ndarray, spacing=SPACING, shape=(N, N, N)) -> np.ndarray:
    affine = np.eye(4)
    affine[:3, :3] = rotation * spacing
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2.0)
    return affine


def rotation_xyz(ax, ay, az) -> np.ndarray:
    cx, sx, cy, sy, cz, sz = np.cos(ax), np.sin(ax), np.cos(ay), np.sin(ay), np.cos(az), np.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


AFFINES = {
    "ras": centred_affine(np.eye(3)),
    "lps": centred_affine(np.diag([-1.0, -1.0, 1.0])),
    "oblique": centred_affine(rotation_xyz(0.25, -0.15, 0.3)),
}


def all_cases():
    return {name: make_case(affine) for name, affine in AFFINES.items()}
