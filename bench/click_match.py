"""The AI click engine made to give the network what its training gave it, one difference at a
time (issue #13, session 48), for ``bench/click_inference.py``. Each variant is the engine as it
is except for one step, set as the recipe (``neuroview/ai/interactive/train.py``, ``cubes.py``,
``rounds.py``) does it:

- ``nomirror``: one pass, as the recipe's rounds answer (the engine averages the card's 8 mirrorings);
- ``allparts``: every part of the answer kept (the engine keeps those an include prompt touches);
- ``nofill``: holes at include clicks left as the network answers them (the engine fills them);
- ``nokeepout``: the answer kept as it is under exclude clicks (the engine sets it to 0 within
  their 2 mm ball; the recipe's truth there is the object's);
- ``keepvox``: 0 only on the voxel nearest each exclude click, not its whole ball;
- ``samecube``: corrective clicks answered on the first prompt's cube (the recipe's rounds keep
  their cube; the engine places a new one around the object and its clicks), while the include
  clicks lie in it;
- ``recentre``: the first answer looked at once more on the cube the recipe cuts for an object of
  its size (centred on it, its extent plus the margin at the spacing that fits; the engine's
  first cube is centred on the click);
- ``clickvox``: clicks drawn on the cube voxel nearest them (the recipe's clicks lie on cube
  voxels; at a spacing that is no whole multiple of the volume's they fall between them);
- ``nogrow``: the answer on the first cube, never grown (the recipe's cubes do not grow; a first
  cube that clips a large object is among them, its truth clipped by the cube); ``nogrow1``: the
  first prompt's answer only, later ones grown as the engine grows them;
- ``statsclean``: intensities normalised with the statistics the recipe takes, of the anatomy
  before its lesions and noise are added (an oracle: a user's image has no noise-free copy);
- ``statsrobust``: the foreground for the statistics taken where both the image and its Gaussian
  smoothing (1 voxel) exceed the threshold (noise in the air around the head, which the recipe's
  statistics never see, counts as foreground otherwise).
"""

from __future__ import annotations

import contextlib
import copy
from unittest import mock

import numpy as np
from scipy import ndimage

NAMES = ("nomirror", "allparts", "nofill", "nokeepout", "keepvox", "samecube", "recentre",
         "clickvox", "nogrow", "nogrow1", "statsclean", "statsrobust")


def is_match_variant(name: str) -> bool:
    return name in NAMES


def robust_stats(array: np.ndarray, clip=(0.5, 100.0), fraction: float = 0.1):
    """``foreground_stats`` with the foreground where the image and its smoothing both exceed
    ``fraction`` of the 99th percentile."""
    from neuroview.ai.normalize import IntensityStats

    image = np.asarray(array, np.float32)
    smooth = ndimage.gaussian_filter(image, 1.0)
    threshold = fraction * float(np.percentile(image[::4, ::4, ::4], 99))
    values = image[(image > threshold) & (smooth > threshold)]
    low = float(np.percentile(values, clip[0]))
    high = float("inf") if clip[1] >= 100 else float(np.percentile(values, clip[1]))
    clipped = np.clip(values, low, high)
    return IntensityStats(low, high, float(clipped.mean()), float(clipped.std()) or 1.0)


def training_stats(brain: str, seed: int):
    """The statistics the recipe would take of the bench's brain ``brain`` drawn from ``seed``:
    of its anatomy before the lesions and the noise (``bench/interactive.py``'s ``_cases`` draws
    them after it)."""
    from neuroview.ai.synth import load_mni_anatomy, load_nibabel_anatomy, make_anatomy_sample

    for k, load in enumerate((load_mni_anatomy, load_nibabel_anatomy)):
        anatomy = load()
        if anatomy.name == brain:
            rng = np.random.default_rng(seed + k)
            return make_anatomy_sample(anatomy, rng, spacing=1.0, deform=False, skull_strip_p=0.0).stats
    raise ValueError(f"no training statistics for {brain!r}")


def _nearest_voxels(points_ijk, shape) -> np.ndarray:
    out = np.zeros(shape, bool)
    for p in np.rint(np.asarray(points_ijk, float).reshape(-1, 3)).astype(int):
        if np.all((p >= 0) & (p < np.asarray(shape))):
            out[tuple(p)] = True
    return out


def _kept_out_voxel(grid, prompts):
    out = np.zeros(grid.shape, bool)
    for p in prompts.prompts:
        if p.kind != "point":
            continue
        at = _nearest_voxels(grid.to_ijk(p.points_ras()), grid.shape)
        out = (out & ~at) if p.include else (out | at)
    return out


def _held_out_voxel(prompts, lo, shape, affine):
    to_ijk = np.linalg.inv(affine)
    out = np.zeros(shape, bool)
    for p in prompts.prompts:
        if p.kind != "point":
            continue
        ijk = p.points_ras() @ to_ijk[:3, :3].T + to_ijk[:3, 3] - np.asarray(lo)
        at = _nearest_voxels(ijk, shape)
        out = (out & ~at) if p.include else (out | at)
    return out


def _snapped(encode):
    """``encode_prompts`` with every click moved to the cube voxel nearest it."""
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet

    def encode_prompts(grid, prompts):
        moved = []
        for p in prompts.prompts:
            if p.kind == "point":
                ijk = np.rint(grid.to_ijk(p.points_ras())[0])
                p = PointPrompt(tuple(grid.ijk_to_ras[:3, :3] @ ijk + grid.ijk_to_ras[:3, 3]), p.include)
            moved.append(p)
        return encode(grid, PromptSet(moved))

    return encode_prompts


def matched_segmenter(name: str, image, affine, model, stats=None):
    """The engine on ``image`` with the variant ``name``; ``stats``: the training's statistics
    of the image (``statsclean``)."""
    from neuroview.ai.interactive import engine

    class Matched(engine.InteractiveSegmenter):
        first_grid = None   # the first prompt's cube (samecube)

        def run(self, prompts, previous=None, starting=None, cancel=None):
            if name == "nogrow1":
                self.max_rounds = 1 if len(prompts) == 1 and previous is None else 4
            with contextlib.ExitStack() as stack:
                patch = {"allparts": {"keep_prompted_parts": lambda probability, include: probability},
                         "nofill": {"filled_at_includes": lambda region, *args: region},
                         "nokeepout": {"_kept_out": lambda grid, prompts: np.zeros(grid.shape, bool),
                                       "held_out": lambda prompts, lo, shape, affine: np.zeros(shape, bool)},
                         "keepvox": {"_kept_out": _kept_out_voxel, "held_out": _held_out_voxel},
                         "clickvox": {"encode_prompts": _snapped(engine.encode_prompts)}}.get(name, {})
                for attribute, value in patch.items():
                    stack.enter_context(mock.patch.object(engine, attribute, value))
                result = super().run(prompts, previous, starting, cancel)
                if len(prompts) == 1 and previous is None:
                    self.first_grid = result.grid
                    if name == "recentre" and result.mask().any():
                        result = self._recentred(prompts, result)
                return result

        def _first_grid(self, prompts, previous):
            grid = super()._first_grid(prompts, previous)
            if name != "samecube" or previous is None or self.first_grid is None:
                return grid
            inside = self.first_grid.to_ijk(prompts.points_ras(include=True))
            fits = np.all((inside >= 0) & (inside <= np.asarray(self.first_grid.shape) - 1))
            return self.first_grid if fits else grid

        def _recentred(self, prompts, result):
            import time

            from neuroview.ai.interactive.roi import fov_mm

            started = time.perf_counter() - result.seconds
            idx = np.argwhere(result.mask()) + np.asarray(result.lo)
            lo, hi = idx.min(0), idx.max(0)
            extent = float(((hi - lo + 1) * np.linalg.norm(self.affine[:3, :3], axis=0)).max())
            centre = self.affine[:3, :3] @ ((lo + hi) / 2) + self.affine[:3, 3]
            grid = self._grid(centre, fov_mm(extent, self.margin_mm))
            return self._rounds(grid, prompts, None, None, started)

    if name == "nomirror":
        model = copy.copy(model)
        model.flips = [()]
    if name == "statsrobust":
        stats = robust_stats(image)
    return Matched(image, affine, model, stats=stats if name in ("statsclean", "statsrobust") else None,
                   max_rounds=1 if name == "nogrow" else 4)
