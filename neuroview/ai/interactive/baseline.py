"""The non-AI baseline behind the same contract: "Grow from seeds" driven by prompts.

Include prompts (clicks, scribbles, the centre of a box) seed the object; exclude prompts, the
outside of a box's rectangle on its slice and the faces of the ROI (where they look unlike
the object) seed the background; the seeds
then grow into the image by the same watershed as the editor's *Grow from seeds* tool
(:mod:`neuroview.core.edit.grow`). It answers 0 or 1 (no probabilities). Used by
``bench/interactive.py`` as the reference a learnt model must beat, and by tests that need a
deterministic backend. No torch.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from scipy import ndimage

from ...core.edit.grow import COST_LEVELS, smoothed_levels


class GrowPromptModel:
    name = "grow-from-seeds"
    seeds_from_prompts = True  # the object grows from the include prompts, wherever they lie

    def __init__(self, spacing_mm: float = 1.0, min_side: int = 32, sigma_mm: float = 0.5,
                 max_spacing_mm: Optional[float] = None) -> None:
        self.spacing_mm, self.min_side, self.divisor, self.sigma_mm = spacing_mm, min_side, 8, sigma_mm
        self.max_spacing_mm = spacing_mm if max_spacing_mm is None else max_spacing_mm

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        image, include, exclude, box, previous = inputs
        levels = smoothed_levels(image, (self.spacing_mm,) * 3, self.sigma_mm)
        markers = np.zeros(image.shape, np.int16)
        border = np.ones(image.shape, bool)
        border[1:-1, 1:-1, 1:-1] = False
        markers[border] = 2
        if box.any():  # the box's frame is background, its middle (shrunk by half) the object
            flat = int(np.argmin([np.ptp(np.nonzero(box)[a]) for a in range(3)]))
            section = box.any(axis=flat)
            inner = ndimage.binary_erosion(section, iterations=max(1, int(min(
                np.ptp(np.nonzero(section)[a]) for a in range(2)) // 4)))
            plane = int(np.nonzero(box.any(axis=tuple(a for a in range(3) if a != flat)))[0][0])
            frame = np.zeros(image.shape, bool)
            index = [slice(None)] * 3
            index[flat] = plane
            frame[tuple(index)] = ~section
            markers[frame] = 2
            centre = np.zeros(image.shape, bool)
            centre[tuple(index)] = inner
            markers[centre] = 1
        markers[exclude > 0] = 2
        markers[include > 0] = 1
        if not (markers == 1).any():
            return previous.astype(np.float32)
        # the ROI's faces are background only where they look unlike the object (so an object
        # larger than the ROI reaches its border, and the ROI grows)
        seed_level = float(np.median(levels[markers == 1]))
        alike = np.abs(levels.astype(np.float32) - seed_level) < 0.25 * COST_LEVELS
        alike &= border & (exclude <= 0)
        markers[alike] = 0
        grown = ndimage.watershed_ift(levels, markers)
        return (grown == 1).astype(np.float32)
