"""The large image of noise several benchmarks draw on: 512 x 512 x 300 int16 voxels."""

from __future__ import annotations

import numpy as np

from neuroview.core.volume import Volume


def noise_volume(rng, spacing, origin=(0.0, 0.0, 0.0), **kwargs) -> Volume:
    """512 x 512 x 300 int16 voxels of 0-999 drawn from ``rng``, ``spacing`` mm apart along the
    axes, the first at ``origin`` (RAS mm); ``kwargs`` go to ``Volume``."""
    affine = np.diag([*spacing, 1.0])
    affine[:3, 3] = origin
    return Volume(rng.integers(0, 1000, (512, 512, 300), dtype=np.int16), affine, **kwargs)
