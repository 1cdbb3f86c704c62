"""The promptable model contract: image + prompts + previous mask -> probability of one object.

A backend implements :class:`PromptableModel` on a region of interest (ROI) cube at its own
spacing: ``predict(inputs)`` takes the channels of :data:`.roi.CHANNELS` and returns the object's
probability on the same cube. :class:`InteractiveSegmenter` does everything around it, the same
for every backend: it places the ROI around the prompts (RAS mm, through the volume's
``ijk_to_ras``, so oblique and anisotropic grids are handled in one place), resamples the image and
the previous mask into it, draws the prompts, and when the object reaches the ROI's border it grows
the ROI (x1.5, up to ``max_side``) around the object and runs again, so the cost follows the
object's size and not the volume's. The answer comes back on the volume's own voxels.

Numpy/scipy only: the bundled network (:mod:`.model`) is the part that needs torch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional, Protocol

import numpy as np

from ...core.errors import ToolError
from ..normalize import IntensityStats, apply_stats, foreground_stats
from .prompts import PromptSet
from .roi import RoiGrid, encode_prompts, roi_grid, roi_to_volume, sample_volume, touches_border


class PromptableModel(Protocol):
    name: str
    spacing_mm: float
    """Isotropic spacing of the ROI the model works on."""
    min_side: int
    """Smallest ROI edge in voxels (the training patch)."""
    divisor: int
    """ROI edges must be multiples of this."""

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """``(5, X, Y, Z)`` channels (image normalised, include, exclude, box, previous) ->
        ``(X, Y, Z)`` probability of the object."""


@dataclass
class PromptResult:
    """The object's probability on a box of the volume: voxels ``lo .. lo + probability.shape``."""

    lo: tuple[int, int, int]
    probability: np.ndarray
    grid: RoiGrid
    rounds: int
    seconds: float

    def mask(self, threshold: float = 0.5) -> np.ndarray:
        return self.probability > threshold

    @property
    def box(self):
        return self.lo, tuple(a + n for a, n in zip(self.lo, self.probability.shape))


def _round_up(value: float, divisor: int) -> int:
    return int(np.ceil(value / divisor) * divisor)


class InteractiveSegmenter:
    """Runs a :class:`PromptableModel` on one volume (``array`` indexed ``[i, j, k]``)."""

    def __init__(self, array: np.ndarray, ijk_to_ras: np.ndarray, model: PromptableModel,
                 stats: Optional[IntensityStats] = None, margin_mm: float = 10.0, max_side: int = 128,
                 max_rounds: int = 4) -> None:
        self.array, self.affine, self.model = array, np.asarray(ijk_to_ras, float), model
        self.stats = stats or foreground_stats(array)
        self.margin_mm, self.max_side, self.max_rounds = margin_mm, max_side, max_rounds

    def _first_grid(self, prompts: PromptSet) -> RoiGrid:
        points = prompts.points_ras(include=True)
        if len(points) == 0:
            points = prompts.points_ras()
        if len(points) == 0:
            raise ToolError("give at least one prompt (a click, a box or a scribble)")
        lo, hi = points.min(0), points.max(0)
        extent = float((hi - lo).max()) + 2 * self.margin_mm
        side = _round_up(max(self.model.min_side, extent / self.model.spacing_mm), self.model.divisor)
        return roi_grid(self.affine, (lo + hi) / 2, min(side, self.max_side), self.model.spacing_mm)

    def run(self, prompts: PromptSet, previous: Optional[np.ndarray] = None) -> PromptResult:
        """The object's probability near the prompts; ``previous`` (bool, volume-sized) is the
        current mask of the object (a model's proposal, painting or the last answer)."""
        started = time.perf_counter()
        grid = self._first_grid(prompts)
        for rounds in range(1, self.max_rounds + 1):
            image = apply_stats(sample_volume(self.array, self.affine, grid), self.stats)
            channels = encode_prompts(grid, prompts)
            if previous is not None:
                prev = sample_volume(previous.view(np.uint8), self.affine, grid, order=0, cval=0.0)
            else:
                prev = np.zeros(grid.shape, np.float32)
            probability = self.model.predict(np.concatenate([image[None], channels, prev[None]]))
            faces = touches_border(probability > 0.5, margin=2)
            side = grid.shape[0]
            if not faces or side >= self.max_side or rounds == self.max_rounds:
                break
            idx = np.argwhere(probability > 0.5)
            centre_ijk = (idx.min(0) + idx.max(0)) / 2.0
            centre = grid.ijk_to_ras[:3, :3] @ centre_ijk + grid.ijk_to_ras[:3, 3]
            extent = float((idx.max(0) - idx.min(0)).max()) + 2 * self.margin_mm / grid.spacing
            side = min(self.max_side, _round_up(max(side * 1.5, extent), self.model.divisor))
            grid = roi_grid(self.affine, centre, side, grid.spacing)
        back = roi_to_volume(probability, grid, self.affine, self.array.shape[:3])
        if back is None:
            raise ToolError("the prompts lie outside the image")
        lo, region = back
        return PromptResult(lo, region, grid, rounds, time.perf_counter() - started)
