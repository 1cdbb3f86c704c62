"""A CT written as NRRD, as Slicer writes one from a scanner's series: int16 HU, LPS, with a
padding number (-3024 from dcm2niix, -2000 as GE stores it) outside a round field of view."""

from __future__ import annotations

from pathlib import Path

import numpy as np

N, SLICES, FOV_RADIUS = 96, 12, 46.0
AIR = -1024
SPACING = (0.8, 0.8, 2.5)


def padded_ct(padding: int = -3024, n: int = N, slices: int = SLICES) -> np.ndarray:
    """[i, j, k] int16 HU: a head (skull, brain with noise) in air at -1024, ``padding`` outside
    a circle of radius ``FOV_RADIUS / N * n`` voxels."""
    x = np.arange(n) - (n - 1) / 2
    r = np.hypot(*np.meshgrid(x, x, indexing="ij")) * N / n
    slab = np.full((n, n), AIR, dtype=np.int16)
    slab[r < 36] = 1000
    slab[r < 32] = 35
    slab[r > FOV_RADIUS] = padding
    image = np.repeat(slab[:, :, None], slices, axis=2)
    noise = np.random.default_rng(3).normal(0, 6, image.shape).round().astype(np.int16)
    brain = np.repeat((r < 32)[:, :, None], slices, axis=2)
    image[brain] += noise[brain]
    return image


def write_nrrd(path: Path, image: np.ndarray, encoding: str = "raw", **fields) -> Path:
    """``image`` ([i, j, k]) as a NRRD by pynrrd, LPS, axial slices along k."""
    import nrrd

    header = {"space": "left-posterior-superior", "encoding": encoding,
              "space directions": np.diag(SPACING), "space origin": np.array([-38.0, -38.0, 0.0]),
              "kinds": ["domain"] * 3, **fields}
    detached = str(path).endswith(".nhdr")
    nrrd.write(str(path), image, header, detached_header=detached, index_order="F")
    return path
