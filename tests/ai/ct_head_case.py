"""A CT-like head volume for the AI CT-input tests: helpers that test_ai_ct_input.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import functools  # noqa: E402

import numpy as np  # noqa: E402

from neuroview.ai import heads  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402


@functools.lru_cache(maxsize=2)
def ct_head(factor: int = 2) -> Volume:
    """The MNI152 brain in a skull and scalp at ``factor`` mm, in Hounsfield units: air -1000, fat
    -90, muscle 45, bone 1200, CSF 8, grey matter 38, white matter 25."""
    brain, gm, wm, affine, distance = heads._padded_template(18)[:5]
    csf = np.clip(brain.astype(np.float32) - gm - wm, 0, 1)
    hu = np.full(brain.shape, -1000.0, np.float32)
    hu[brain] = (25 * wm + 38 * gm + 8 * csf)[brain]
    for inner, outer, value in ((0, 2, 8), (2, 7, 1200), (7, 9, 45), (9, 13, -90)):
        hu[(distance > inner) & (distance <= outer)] = value
    shape = np.asarray(hu.shape) // factor
    blocks = hu[: factor * shape[0], : factor * shape[1], : factor * shape[2]]
    image = blocks.reshape(shape[0], factor, shape[1], factor, shape[2], factor).mean(axis=(1, 3, 5))
    coarse = affine.copy()
    coarse[:3, :3] *= factor
    coarse[:3, 3] += affine[:3, :3] @ np.full(3, (factor - 1) / 2)
    return Volume(image.astype(np.float32), coarse, modality="CT")
