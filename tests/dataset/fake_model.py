"""A deterministic stand-in for a segmentation model: foreground probability from intensity.

``probabilities`` follows neuroview.dataset.rank.ProbabilityFn; the CLI test loads it with
``--model tests.dataset.fake_model:probabilities``.
"""

from __future__ import annotations

import numpy as np

from neuroview.dataset.rank import flip_tta


def predict(array: np.ndarray) -> np.ndarray:
    """Voxelwise: p = sigmoid(20 * (intensity - 0.5)); flip-equivariant by construction."""
    return 1.0 / (1.0 + np.exp(-20.0 * (np.asarray(array, dtype=np.float64) - 0.5)))


probabilities = flip_tta(predict)
