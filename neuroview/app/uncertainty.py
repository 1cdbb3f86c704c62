"""The viewer's uncertainty map: where the model is unsure, as a float volume shown as a heat overlay.

The map is the binary entropy, in bits, of the foreground probability averaged over test-time flips
(0 = the flips agree and are certain, 1 = a coin toss). It is the per-voxel form of the score
``neuroview dataset rank`` averages over a case (:mod:`neuroview.dataset.rank`), computed from the
same :func:`neuroview.ai.flip_probabilities` (torch is imported only when it runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from ..core import geometry
from ..core.jobs import CancelToken, ProgressFn
from ..core.plural import plural
from ..core.volume import Volume
from ..dataset.rank import DEFAULT_FLIPS, binary_entropy_bits


@dataclass
class UncertaintyMap:
    """A float32 map on its own grid plus how the slice views draw it (``render.heat``)."""

    array: np.ndarray
    ijk_to_ras: np.ndarray
    model: str = ""
    flips: list = field(default_factory=list)
    unit: str = "bits"
    visible: bool = True
    threshold: float = 0.1
    """Values below this are transparent."""
    vmax: float = 1.0
    """Values at or above this are fully red at ``opacity``."""
    opacity: float = 0.75
    notes: list = field(default_factory=list)
    """What the model's preprocessing skipped (e.g. brain extraction on a CT or a slab)."""
    outside_domain: str = ""
    """The card's refusal the person overrode (*Run anyway*; "" when none)."""

    def value_at(self, p_ras) -> Optional[float]:
        """The map's value at the voxel nearest to a RAS point (halfway: the +RAS one, as the
        views draw it), or ``None`` outside its grid."""
        ijk = geometry.nearest_voxel(np.linalg.inv(self.ijk_to_ras), self.array.shape, p_ras)
        return None if ijk is None else float(self.array[ijk])

    def describe(self) -> str:
        uncertain = int(np.count_nonzero(self.array > 0.5))
        return (f"uncertainty of {self.model or 'the model'} over {len(self.flips)} flips: mean "
                f"{float(self.array.mean()):.4f} bits, {plural(uncertain, 'voxel')} above 0.5 bits"
                + "".join(f" ({note})" for note in self.notes))


def compute_uncertainty(volume: Volume, model: str = "", flips: Sequence = DEFAULT_FLIPS,
                        device: str = "auto", progress: Optional[ProgressFn] = None,
                        cancel: Optional[CancelToken] = None,
                        allow_domain_mismatch: bool = False) -> UncertaintyMap:
    """Entropy (bits) of the mean foreground probability of ``model`` over ``flips``; an image
    outside the card's domain is refused unless ``allow_domain_mismatch`` (*Run anyway*: the
    map's :attr:`UncertaintyMap.outside_domain` says what was overridden)."""
    from .. import ai

    flipped = ai.flip_probabilities(volume, model, flips, device, progress, cancel, lazy=True,
                                    allow_domain_mismatch=allow_domain_mismatch)
    mean = None
    for p in flipped:  # one flip at a time: two float32 volumes in memory
        mean = p.copy() if mean is None else np.add(mean, p, out=mean)
    mean /= np.float32(len(flipped))
    entropy = binary_entropy_bits(mean).astype(np.float32, copy=False)
    return UncertaintyMap(entropy, np.asarray(volume.ijk_to_ras, float).copy(), model=flipped.model,
                          flips=[tuple(f) for f in flipped.flips], notes=list(flipped.notes),
                          outside_domain=flipped.outside_domain)
