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


def refusing(volume, flips):
    """:data:`probabilities`, but a volume brighter than 0.9 everywhere is refused as outside the
    model's domain, in a wording of its own (no line of ``ai.domain``, no way on named)."""
    from neuroview.core.errors import OutsideDomainError

    if float(np.min(volume.array)) > 0.9:
        raise OutsideDomainError("this model reads other images than this bright one")
    return probabilities(volume, flips)
