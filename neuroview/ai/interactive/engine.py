"""The promptable model contract: image + prompts + previous mask -> probability of one object.

A backend implements :class:`PromptableModel` on a region of interest (ROI) cube at its own
spacing: ``predict(inputs)`` takes the channels of :data:`.roi.CHANNELS` and returns the object's
probability on the same cube. :class:`InteractiveSegmenter` does everything around it, the same
for every backend: it places the ROI around the prompts (RAS mm, through the volume's
``ijk_to_ras``, so oblique and anisotropic grids are handled in one place), resamples the image and
the previous mask into it, draws the prompts, and when the object reaches the ROI's border it grows
the ROI around the object and runs again. A model that accepts several spacings keeps a cube of
``min_side`` voxels whose spacing fits the object (1 mm for a small lesion, coarser for a large
one), so the cost follows neither the volume's size nor the object's. The answer comes back on
the volume's own voxels.

Numpy/scipy only: the bundled network (:mod:`.model`) is the part that needs torch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Optional, Protocol

import numpy as np
from scipy import ndimage

from ...core.errors import ToolError
from ...core.jobs import CancelToken, cancel_scope, check
from ...core.short_repr import array_text
from ..normalize import IntensityStats, apply_stats, foreground_stats, windowed_stats
from .local import (
    anchor_prompt,
    corrected_parts,
    filled_at_includes,
    held_out,
    inside_box,
    late_boxes,
)
from .prompts import PromptSet
from .roi import (
    RoiGrid,
    bounding_box_vox,
    encode_prompts,
    fit_spacing,
    fov_mm,
    inside_volume,
    on_voxels,
    roi_grid,
    roi_to_volume,
    sample_volume,
    touches_border,
    volume_box,
)


class PromptableModel(Protocol):
    name: str
    spacing_mm: float
    """Finest isotropic spacing of the ROI the model works on."""
    max_spacing_mm: float
    """Coarsest spacing it accepts (a large object is seen whole at a coarser spacing, so the
    ROI keeps ``min_side`` voxels); equal to ``spacing_mm`` for a fixed-scale model, whose ROI
    grows in voxels instead. Optional: missing means ``spacing_mm``."""
    min_side: int
    """ROI edge in voxels (the training patch)."""
    divisor: int
    """ROI edges must be multiples of this."""
    seeds_from_prompts: bool
    """True for a backend that grows the object from the include prompts alone (Grow from
    seeds): they are drawn over the starting mask too. Optional: missing means False, and an
    include prompt is drawn only where the mask the object began with does not hold it."""

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """``(5, X, Y, Z)`` channels (image normalised, include, exclude, box, previous) ->
        ``(X, Y, Z)`` probability of the object."""


@dataclass
class PromptResult:
    """The object's probability on a box of the volume: voxels ``lo .. lo + probability.shape``;
    ``covered`` (same shape; None: all) marks the voxels the answer is about, those whose centres
    lie in the ROI cube. The others, on the box's faces, keep what they held."""

    lo: tuple[int, int, int]
    probability: np.ndarray
    grid: RoiGrid
    rounds: int
    seconds: float
    covered: Optional[np.ndarray] = None
    loading: float = 0.0
    """Seconds spent before the model ran: loading it (and the image's statistics) for the
    object's first answer, ``app.prompting.PromptSession.compute`` sets it."""

    def __repr__(self) -> str:
        return (f"PromptResult(lo={tuple(self.lo)}, probability={array_text(self.probability)}, "
                f"covered={array_text(self.covered)}, rounds={self.rounds}, "
                f"seconds={self.seconds:.2f})")

    def mask(self, threshold: float = 0.5) -> np.ndarray:
        return self.probability > threshold

    @property
    def box(self):
        return self.lo, tuple(a + n for a, n in zip(self.lo, self.probability.shape))

    @property
    def slices(self) -> tuple:
        return tuple(slice(a, a + n) for a, n in zip(self.lo, self.probability.shape))


def _round_up(value: float, divisor: int) -> int:
    return int(np.ceil(value / divisor) * divisor)


def _card_stats(array: np.ndarray, spec, window: Optional[tuple[float, float]] = None) -> IntensityStats:
    """The image's normalisation statistics as the model's card asks (its foreground fraction
    and clip percentiles; the defaults without a card); with ``window`` (width, level: a CT's),
    of the image seen through it (:func:`~neuroview.ai.normalize.windowed_stats`)."""
    if not isinstance(spec, dict) or spec.get("scheme", "zscore_foreground") != "zscore_foreground":
        spec = {}
    fraction = float(spec.get("foreground_fraction", 0.1))
    percentiles = tuple(spec.get("clip_percentiles", (0.5, 99.5)))
    if window is None:
        return foreground_stats(array, fraction, percentiles)
    width, level = window
    return windowed_stats(array, level - width / 2, level + width / 2, fraction, percentiles)


class InteractiveSegmenter:
    """Runs a :class:`PromptableModel` on one volume (``array`` indexed ``[i, j, k]``).

    The ROI is placed around the include prompts and the part of ``previous`` they touch, with
    ``margin_mm`` around them. A model that accepts several spacings sees it as a cube of
    ``min_side`` voxels, 1 mm (its finest) for a small object, coarser for a large one; when the
    answer reaches the ROI's border the ROI is grown around it (coarser spacing first, then more
    voxels) and the model runs again, and once the object fits, one last round at the spacing
    that fits it gives the finest answer the model can.

    With ``local`` (the default) an exclude on a mask the object began with, before any include
    prompt, removes only what lies around it, and a box after other prompts constrains the
    object (:mod:`.local`); ``local=False`` gives the network's answer as it is (the bench's
    reference). ``window`` (width, level in HU): a CT's intensities are normalised as seen
    through it (the window's CT opening preset, ``app.prompting``).
    """

    def __init__(self, array: np.ndarray, ijk_to_ras: np.ndarray, model: PromptableModel,
                 stats: Optional[IntensityStats] = None, margin_mm: float = 10.0, max_side: int = 128,
                 max_rounds: int = 4, local: bool = True,
                 window: Optional[tuple[float, float]] = None) -> None:
        self.array, self.affine, self.model = array, np.asarray(ijk_to_ras, float), model
        self.local = local
        self.excludes_on_object: dict = {}   # exclude prompt -> it lay on the object when given
        self.stats = stats or _card_stats(array, getattr(getattr(model, "card", None), "normalization", None),
                                          window)
        self.margin_mm, self.max_side, self.max_rounds = margin_mm, max_side, max_rounds
        self.finest = float(model.spacing_mm)
        self.coarsest = max(self.finest, float(getattr(model, "max_spacing_mm", self.finest)))

    def _grid(self, centre_ras, fov: float) -> RoiGrid:
        """An ROI centred on ``centre_ras`` covering ``fov`` mm: ``min_side`` voxels at the
        spacing that fits, more voxels (up to ``max_side``) beyond the coarsest spacing."""
        side0 = _round_up(self.model.min_side, self.model.divisor)
        spacing = fit_spacing(fov, side0, self.finest, self.coarsest)
        side = min(self.max_side, max(side0, _round_up(fov / spacing - 1e-6, self.model.divisor)))
        return roi_grid(self.affine, on_voxels(self.affine, centre_ras, side, spacing), side, spacing)

    def _first_grid(self, prompts: PromptSet, previous: Optional[np.ndarray]) -> RoiGrid:
        points = prompts.points_ras(include=True)
        if len(points) == 0:
            points = prompts.points_ras()
        if len(points) == 0:
            raise ToolError("give at least one prompt (a click, a box or a scribble)")
        if previous is not None:
            points = np.concatenate([points, self._previous_corners(previous, points)])
        # their extent along the ROI's axes (the volume's): measured along RAS's, the corners of
        # an object on an oblique grid spanned up to 1.7 times its size
        axes = self.affine[:3, :3] / np.linalg.norm(self.affine[:3, :3], axis=0)
        along = points @ np.linalg.inv(axes).T
        lo, hi = along.min(0), along.max(0)
        return self._grid(axes @ ((lo + hi) / 2), fov_mm(float((hi - lo).max()), self.margin_mm))

    def _previous_corners(self, previous: np.ndarray, points: np.ndarray) -> np.ndarray:
        """RAS corners of the parts of ``previous`` that hold one of ``points`` (the include
        prompts, or the exclude ones when there is none; searched within one cube at the
        coarsest spacing around them), so a refined object is seen whole at once."""
        ijk = points @ np.linalg.inv(self.affine)[:3, :3].T + np.linalg.inv(self.affine)[:3, 3]
        voxel = np.linalg.norm(self.affine[:3, :3], axis=0)
        reach = _round_up(self.model.min_side, self.model.divisor) * self.coarsest / 2 / voxel
        shape = np.asarray(previous.shape[:3])
        lo = np.clip(np.floor(ijk.min(0) - reach).astype(int), 0, shape)
        hi = np.clip(np.ceil(ijk.max(0) + reach).astype(int) + 1, 0, shape)
        window = np.asarray(previous[tuple(slice(a, b) for a, b in zip(lo, hi))], bool)
        if not window.any():
            return np.zeros((0, 3))
        components, _ = ndimage.label(window)
        inside = np.rint(ijk).astype(int) - lo
        keep = np.all((inside >= 0) & (inside < window.shape), axis=1)
        ids = {int(components[tuple(v)]) for v in inside[keep]} - {0}
        if not ids:
            return np.zeros((0, 3))
        box = np.argwhere(np.isin(components, sorted(ids)))
        corners = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)], float)
        corners = box.min(0) + corners * (box.max(0) - box.min(0)) + lo
        return corners @ self.affine[:3, :3].T + self.affine[:3, 3]

    def _corrects(self, grid: RoiGrid, prompts: PromptSet, previous: np.ndarray) -> bool:
        """Whether ``prompts`` ask ``previous`` to change: any include or box prompt, or an
        exclude one on a voxel of the object."""
        if any(p.include for p in prompts.prompts):
            return True
        held = sample_volume(previous.view(np.uint8), self.affine, grid, order=0, cval=0.0)
        return bool((encode_prompts(grid, prompts)[1] * held).any())

    def _predict(self, grid: RoiGrid, prompts: PromptSet, previous: Optional[np.ndarray],
                 starting: Optional[np.ndarray] = None) -> np.ndarray:
        image = apply_stats(sample_volume(self.array, self.affine, grid), self.stats)
        channels = encode_prompts(grid, prompts)
        if previous is not None:
            prev = sample_volume(previous.view(np.uint8), self.affine, grid, order=0, cval=0.0)
        else:
            prev = np.zeros(grid.shape, np.float32)
        pointed = channels[0] + channels[2]
        excluded = _kept_out(grid, prompts)
        if previous is not None and not getattr(self.model, "seeds_from_prompts", False):
            # An exclude prompt is drawn only where the object's mask holds it: the network's
            # exclude clicks in training all went where its answer was wrong, so one where the
            # mask is already 0 read as "cut here" and took a third to two thirds of a demo lesion
            # 4 mm away. There the mask already says "not the object"; the answer is kept 0 under
            # every exclude prompt below, drawn or not (less where a later include prompt lies).
            channels[1] = self._drawn_excludes(grid, prompts, prev > 0.5)
        if starting is not None and not getattr(self.model, "seeds_from_prompts", False):
            # An include prompt on a mask the object began with (a model's proposal, painting)
            # is drawn only where that mask does not hold it: drawn over it, the network reads it
            # as a correction there and cuts a hole at the click (its corrective clicks were all
            # placed where its own answer was wrong). The mask already says "object" there.
            known = sample_volume(starting.view(np.uint8), self.affine, grid, order=0, cval=0.0)
            channels[0] *= known < 0.5
        probability = self.model.predict(np.concatenate([image[None], channels, prev[None]])) * ~excluded
        # off the image there is nothing to segment (and nothing to grow the ROI for)
        probability = probability * inside_volume(grid, self.affine, self.array.shape)
        return keep_prompted_parts(probability, pointed)


    def _drawn_excludes(self, grid: RoiGrid, prompts: PromptSet, held: np.ndarray) -> np.ndarray:
        """The exclude channel the network sees: each exclude prompt that lay on the object when it
        was given is drawn whole for as long as the object lives (once honoured, the mask is 0
        under it; drawn only where the mask held it, it vanished from the next answer's input and
        the network gave the cut part back: Dice after 3 clicks 0.787 -> 0.766 on the bench); one
        given where the object was not is drawn only where the object now holds it."""
        out = np.zeros(grid.shape, np.float32)
        for prompt in prompts.prompts:
            if prompt.include:
                continue
            drawn = encode_prompts(grid, PromptSet([prompt]))[1]
            on_object = self.excludes_on_object.setdefault(prompt, bool((drawn * held).any()))
            np.maximum(out, drawn if on_object else drawn * held, out=out)
        return out

    def run(self, prompts: PromptSet, previous: Optional[np.ndarray] = None,
            starting: Optional[np.ndarray] = None, cancel: Optional[CancelToken] = None) -> PromptResult:
        """The object's probability near the prompts; ``previous`` (bool, volume-sized) is the
        current mask of the object (a model's proposal, painting or the last answer),
        ``starting`` the mask it began with (include prompts are not drawn over it). ``cancel``
        set (Esc, the window's close): :class:`~neuroview.core.errors.Cancelled` before the
        model's next round (and within a run, between the network's layers where the model
        looks at :func:`~neuroview.core.jobs.check_scope`: ``model.NetworkPromptModel``)."""
        with cancel_scope(cancel):
            return self._answer(prompts, previous, starting, cancel)

    def _answer(self, prompts: PromptSet, previous: Optional[np.ndarray],
                starting: Optional[np.ndarray], cancel: Optional[CancelToken]) -> PromptResult:
        started = time.perf_counter()
        if len(prompts) == 1:   # a new object: what earlier objects' excludes lay on is forgotten
            self.excludes_on_object.clear()
        if previous is None and not any(p.include for p in prompts.prompts):
            # exclude prompts alone on an empty object: nothing is the object (an exclude stroke
            # as the first prompt came back as 41-365 voxels beside demo lesions 2 and 3)
            grid = self._first_grid(prompts, None)
            return self._kept(grid, np.zeros(self.array.shape[:3], bool), started)
        boxes = late_boxes(prompts) if self.local and previous is not None else []
        if boxes:
            return self._within_boxes(prompts, boxes, previous, starting, started, cancel)
        grid = self._first_grid(prompts, previous)
        if previous is not None and not self._corrects(grid, prompts, previous):
            # exclude prompts only, all where the object is not: the mask already says so (run
            # through the network, it came back changed elsewhere, see _predict)
            return self._kept(grid, previous, started)
        last = prompts.prompts[-1]
        if self.local and starting is not None and previous is not None \
                and last.kind in ("point", "scribble"):
            # on a mask the object began with, a click or scribble changes it only around itself
            if not any(p.include for p in prompts.prompts):
                return self._exclude_locally(prompts, previous, started, cancel)
            result = self._rounds(grid, prompts, previous, starting, started, cancel)
            return self._locally(result, PromptSet([last]), previous, started, last.include)
        # a first box or lasso on a mask the object began with only adds within it: the AI click
        # tool's merge of every backend's answer (app.prompting.PromptSession.apply)
        return self._rounds(grid, prompts, previous, starting, started, cancel)

    def _kept(self, grid: RoiGrid, previous: np.ndarray, started: float, keep=None) -> PromptResult:
        """``previous`` on the volume box of ``grid`` (where ``keep`` says, when given)."""
        box = volume_box(grid, self.affine, self.array.shape[:3])
        if box is None:
            raise ToolError("the prompts lie outside the image")
        kept = previous[tuple(slice(a, b) for a, b in zip(*box))]
        if keep is not None:
            kept = kept & keep(*box)
        return PromptResult(box[0], kept.astype(np.float32), grid, 0, time.perf_counter() - started)

    def _within_boxes(self, prompts: PromptSet, boxes: list, previous: np.ndarray,
                      starting: Optional[np.ndarray], started: float, cancel=None) -> PromptResult:
        """A box after other prompts is a constraint: the object is what the other prompts give
        (the network sees them and the previous mask as before; a box it saw only as a first
        prompt), less what lies outside the box's rectangle along its plane's normal. A box as
        the last prompt only trims the object."""
        others = PromptSet([p for p in prompts.prompts if not any(p is b for b in boxes)])

        def within(lo, hi):
            shape = tuple(b - a for a, b in zip(lo, hi))
            return np.logical_and.reduce([inside_box(b, lo, shape, self.affine) for b in boxes])

        if prompts.prompts[-1] is boxes[-1]:
            return self._kept(self._first_grid(prompts, previous), previous, started, within)
        result = self.run(others, previous, starting, cancel)
        lo, hi = result.box
        result.probability = result.probability * within(lo, hi)
        return result

    def _exclude_locally(self, prompts: PromptSet, previous: np.ndarray, started: float,
                         cancel=None) -> PromptResult:
        """Exclude prompts on the mask the object began with, no include prompt yet: the network
        is asked as it was trained (an include click at the mask's deepest voxel out of the
        exclude's reach, then the excludes), and takes only the parts around the excludes
        (:func:`.local.excluded_parts`)."""
        window = _round_up(self.model.min_side, self.model.divisor) * self.coarsest / 2
        anchor = anchor_prompt(prompts, previous, self.affine, window)
        asked = PromptSet(([anchor] if anchor is not None else []) + list(prompts.prompts))
        result = self._rounds(self._first_grid(asked, previous), asked, previous, None, started, cancel)
        return self._locally(result, prompts, previous, started, include=False)

    def _locally(self, result: PromptResult, prompts: PromptSet, previous: np.ndarray, started: float,
                 include: bool) -> PromptResult:
        """``previous`` changed only by the parts of ``result`` around the prompts of that kind
        (:func:`.local.corrected_parts`): added for include prompts, removed for exclude ones."""
        before = previous[result.slices]
        answer = result.mask()
        if result.covered is not None:
            answer = np.where(result.covered, answer, before)
        changed = corrected_parts(before, answer, prompts, result.lo, self.affine, include)
        kept = (before | changed) if include else (before & ~changed)
        result.probability, result.covered = kept.astype(np.float32), None
        result.seconds = time.perf_counter() - started
        return result

    def _rounds(self, grid: RoiGrid, prompts: PromptSet, previous: Optional[np.ndarray],
                starting: Optional[np.ndarray], started: float, cancel=None) -> PromptResult:
        """The model on ``grid``, grown around the object while it reaches the border."""
        refined = False
        for rounds in range(1, self.max_rounds + 1):
            check(cancel)   # between the model's runs: one run itself is not stopped
            probability = self._predict(grid, prompts, previous, starting)
            if rounds == self.max_rounds:
                break
            inside = probability > 0.5
            if not inside.any():
                break
            faces = touches_border(inside, margin=2)
            side, spacing = grid.shape[0], grid.spacing
            lo, hi = bounding_box_vox(inside)
            lo, hi = lo.astype(float), hi.astype(float)
            if faces:  # the object goes on beyond the ROI: look at twice as much around it
                if side >= self.max_side and spacing >= self.coarsest:
                    break
                for axis, high in faces:
                    if high:
                        hi[axis] += side / 2
                    else:
                        lo[axis] -= side / 2
                fov = max(fov_mm(float((hi - lo).max() + 1) * spacing, self.margin_mm), 1.5 * side * spacing)
            else:  # it fits: once, look again at the finest spacing that still holds it
                fov = fov_mm(float((hi - lo).max() + 1) * spacing, self.margin_mm)
                fitting = fit_spacing(fov, _round_up(self.model.min_side, self.model.divisor),
                                      self.finest, self.coarsest)
                if refined or rounds == 1 or fitting > 0.75 * spacing:
                    break
                refined = True
            centre = grid.ijk_to_ras[:3, :3] @ ((lo + hi) / 2) + grid.ijk_to_ras[:3, 3]
            grid = self._grid(centre, fov)
        back = roi_to_volume(probability, grid, self.affine, self.array.shape[:3])
        if back is None:
            raise ToolError("the prompts lie outside the image")
        lo, region, covered = back
        kept_out = held_out(prompts, lo, region.shape, self.affine)
        region = filled_at_includes(region * ~kept_out, prompts, lo, self.affine, kept_out)
        return PromptResult(lo, region, grid, rounds, time.perf_counter() - started, covered)


def _kept_out(grid: RoiGrid, prompts: PromptSet) -> np.ndarray:
    """Where the answer is kept 0: under every exclude prompt, less where an include click or
    scribble given after it lies. The later prompt wins: an include click within 2 mm of an earlier
    exclude click (the simulated user's third click on a 5-6 mm lesion, after an exclude on its
    halo cut into it) was kept out of the answer though the network marked it. An include box or
    lasso frames the object and does not lift an exclude inside it (its region did, and the
    excluded voxels came back; :func:`.local.held_out` keeps them 0 on the volume's voxels)."""
    out = np.zeros(grid.shape, bool)
    for prompt in prompts.prompts:
        channels = encode_prompts(grid, PromptSet([prompt]))
        if prompt.include:
            out &= channels[0] == 0
        else:
            out |= channels[1] > 0
    return out


def keep_prompted_parts(probability: np.ndarray, include: np.ndarray) -> np.ndarray:
    """``probability`` with the parts of the object (connected regions above 0.5) that no include
    prompt (click, scribble, box) touches set to 0: the object is what the user pointed at, not
    a look-alike elsewhere in the ROI. Unchanged when no part is touched."""
    components, n = ndimage.label(probability > 0.5)
    if n < 2:
        return probability
    touched = np.unique(components[(include > 0) & (components > 0)])
    if len(touched) == 0:
        return probability
    return np.where(np.isin(components, touched) | (components == 0), probability,
                    0.0).astype(probability.dtype, copy=False)
