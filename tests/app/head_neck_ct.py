"""A CT in Hounsfield units from the shoulders up to the head, and the same cut to a chest."""

from __future__ import annotations

import numpy as np


def head_neck_shoulders(shoulder_slices: int = 24) -> np.ndarray:
    """[i, j, k] HU, 3 mm pixels, 5 mm slices from the shoulders (k = 0) up: a 44 x 20 cm chest
    top with lung apices and a spine (12 cm with 24 slices, down to the aortic arch as a
    head-and-neck CT reaches), an 11 cm neck (7 cm), a 15 x 19 cm head with its skull (18 cm)."""
    x, y = np.meshgrid((np.arange(160) - 79.5) * 3, (np.arange(100) - 49.5) * 3, indexing="ij")
    shoulders = np.where((x / 220) ** 2 + (y / 100) ** 2 < 1, 40.0, -1000.0)
    for side in (-90, 90):
        shoulders[((x - side) / 50) ** 2 + (y / 40) ** 2 < 1] = -850.0     # lung apices
    shoulders[np.hypot(x, y - 60) < 15] = 700.0                            # a vertebra
    neck = np.where(np.hypot(x, y) < 55, 40.0, -1000.0)
    neck[np.hypot(x, y - 25) < 10] = 700.0
    head = np.where((x / 75) ** 2 + (y / 95) ** 2 < 1, 1000.0, -1000.0)   # skull
    head[(x / 69) ** 2 + (y / 89) ** 2 < 1] = 35.0                         # brain
    slabs = [shoulders] * shoulder_slices + [neck] * 14 + [head] * 36
    noise = np.random.default_rng(1).normal(0, 5, (160, 100, len(slabs)))
    return (np.stack(slabs, axis=2) + noise).astype(np.float32)
