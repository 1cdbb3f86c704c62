"""Training cubes of the promptable recipe (:mod:`.train`): an object (a synthetic lesion or a CSF
blob) on the MNI152 template, cut as a cube of ``patch`` voxels at the spacing the inference ROI
would fit it with, or as the engine's first ROI around a click, normalised, with its mask.
"""

from __future__ import annotations

import hashlib
import threading
from typing import NamedTuple, Optional

import numpy as np
from scipy import ndimage

from ..heads import TISSUE_CONTRAST
from ..normalize import TRAINING_CLIP_PERCENTILES, apply_stats, foreground_stats
from ..synth import (
    TISSUE_LESION_DIAMETER_MM,
    deform_anatomy,
    degrade,
    lesion_centres,
    paint_lesion,
    paint_tissue_lesion,
    vary_contrast,
)
from .roi import RoiGrid, fit_spacing, fov_mm, on_voxels, roi_grid, sample_volume
from .simulate import deepest_point

MARGIN_MM = 10.0  # as InteractiveSegmenter's default margin


class Cube(NamedTuple):
    """One training or test sample: the normalised image and the object's mask on a cube of
    ``spacing`` mm, and the first click (cube voxel) when the cube was cut around it as the
    engine's first ROI (None: the simulated user picks the first prompt)."""

    image: np.ndarray
    truth: np.ndarray
    spacing: float
    click: Optional[np.ndarray] = None


def first_click_grid(click, patch: int, max_spacing: float) -> RoiGrid:
    """The ROI :class:`.engine.InteractiveSegmenter` places around a first click (template voxel
    coordinates = RAS mm of the 1 mm template): the spacing that fits a point with the margin
    (1 mm), ``patch`` voxels, on the template's voxels."""
    spacing = fit_spacing(fov_mm(0.0, MARGIN_MM), patch, 1.0, max_spacing)
    return roi_grid(np.eye(4), on_voxels(np.eye(4), click, patch, spacing), patch, spacing)


class Objects(NamedTuple):
    """Where an anatomy's objects lie (read-only): white matter voxels (or None), brain voxels,
    the brain's hull, its CSF blobs labelled, the blob ids :class:`ObjectSampler` draws and each
    label's box."""

    wm_centres: Optional[np.ndarray]
    centres: np.ndarray
    hull: np.ndarray
    csf: np.ndarray
    csf_ids: list
    csf_boxes: list


def search_objects(brain, gm, wm, white_matter: bool) -> Objects:
    """The search of :class:`ObjectSampler` on one anatomy (0.8 s of CPU for the 1 mm template)."""
    wm_centres = np.argwhere(wm > 0.9) if white_matter else None
    centres = np.argwhere(brain > 0.6)  # what lesion_centres(brain, ..., 0.6) draws from
    hull = ndimage.binary_fill_holes(ndimage.binary_closing(brain > 0.5, iterations=3))
    hull = ndimage.binary_erosion(hull, iterations=2)
    csf, n = ndimage.label(hull & ((gm + wm) < 0.3))
    sizes = np.bincount(csf.ravel())
    csf_ids = [i for i in range(1, n + 1) if 20 <= sizes[i] <= 15000]
    for array in (wm_centres, centres, hull, csf):
        if array is not None:
            array.setflags(write=False)
    return Objects(wm_centres, centres, hull, csf, csf_ids, ndimage.find_objects(csf))


_template_cache: dict[tuple, Objects] = {}
_template_lock = threading.Lock()


def _template_objects(brain, gm, wm, white_matter: bool) -> Objects:
    """:func:`search_objects` of an undeformed anatomy, remembered for the last one by content (every
    voxel of its maps): a training run's sampler and its held-out objects' sampler, and the runs
    after it in one process, read the same template, which was searched anew each time."""
    digest = hashlib.blake2b(digest_size=20)
    for array in (brain, gm, wm):
        data = np.ascontiguousarray(array)
        digest.update(f"{data.dtype}{data.shape}".encode())
        digest.update(memoryview(data).cast("B"))
    key = (digest.hexdigest(), white_matter)
    with _template_lock:
        if key not in _template_cache:
            _template_cache.clear()   # the last anatomy only (the 1 mm template: ~120 MB)
            _template_cache[key] = search_objects(brain, gm, wm, white_matter)
        return _template_cache[key]


class ObjectSampler:
    """Random :class:`Cube` s of ``patch`` voxels: a normalised image and one object's mask, at
    the spacing (mm) that fits the object in the cube the way the inference ROI does
    (:func:`.roi.fit_spacing`), times a random factor of 0.6-1.6 (a first ROI that clips the
    object, a grown one that sees it small), between 1 mm and ``max_spacing``; for a share
    ``first_click`` of the objects wider than the engine's first cube, that cube around a click
    in the object. A share ``small_lesions`` of the lesions is drawn 4-8 mm across; a share
    ``tissue_lesions`` is painted hard-edged in white matter at another tissue's intensity
    (:func:`..synth.paint_tissue_lesion`: on a T2 a brighter one has grey matter's)."""

    def __init__(self, anatomy, rng: np.random.Generator, patch: int, refresh_every: int = 300,
                 deform: bool = True, max_spacing: float = 1.0, other_contrasts: float = 0.0,
                 aligned: float = 0.0, clip_percentiles: tuple = TRAINING_CLIP_PERCENTILES,
                 first_click: float = 0.0, small_lesions: float = 0.0, tissue_lesions: float = 0.0) -> None:
        self.anatomy, self.rng, self.patch, self.refresh_every = anatomy, rng, patch, refresh_every
        self.clip_percentiles = tuple(clip_percentiles)
        self.deform, self.max_spacing, self.other_contrasts = deform, max_spacing, other_contrasts
        self.aligned, self.first_click, self.small_lesions = aligned, first_click, small_lesions
        self.tissue_lesions = tissue_lesions
        self.count = 0
        self.brain = None
        self._new_base()

    def state(self) -> dict:
        """What :meth:`restore` needs to go on drawing the very cubes this sampler would draw next:
        the generator's state, the cubes drawn, and the generator's state when the anatomy now
        sampled was drawn (it changes every ``refresh_every`` cubes). Plain JSON."""
        return {"rng": self.rng.bit_generator.state, "count": self.count, "base_rng": self.base_rng}

    def restore(self, state: dict) -> None:
        """Go on from :meth:`state` of a sampler of the same settings: its anatomy variant drawn
        again from its saved generator state (a minute of CPU when deformed), then its state set."""
        if state.get("base_rng") and state["base_rng"] != self.base_rng:
            self.rng.bit_generator.state = state["base_rng"]
            self._new_base()
        self.rng.bit_generator.state, self.count = state["rng"], int(state["count"])

    def _new_base(self) -> None:
        rng = self.rng
        self.base_rng = rng.bit_generator.state
        if self.deform:
            t1, brain, gm, wm, _ = deform_anatomy(self.anatomy, rng, spacing=1.0)
        else:  # the 1 mm template as it is (quick: for tests and held-out measurements)
            t1, brain, gm, wm = self.anatomy.t1, self.anatomy.brain, self.anatomy.gm, self.anatomy.wm
        if self.deform or self.brain is None:  # the anatomy's objects, found once per anatomy
            self._find_objects(brain, gm, wm)
        if rng.random() < self.other_contrasts:
            t1 = tissue_contrast_image(t1, gm, wm, self.hull, rng)
        self.image = vary_contrast(t1, gm, wm, rng)
        self.stats = foreground_stats(self.image, clip_percentiles=self.clip_percentiles)

    def _find_objects(self, brain, gm, wm) -> None:
        self.brain, self.wm = brain, wm
        wanted = bool(self.tissue_lesions) and wm is not None
        if self.deform or gm is None or wm is None:   # a deformed anatomy is searched once
            found = search_objects(brain, gm, wm, wanted)
        else:
            found = _template_objects(brain, gm, wm, wanted)
        self.wm_centres, self.centres, self.hull, self.csf, self.csf_ids, self.csf_boxes = found

    def _roi(self, truth_box_lo, truth_box_hi) -> RoiGrid:
        """The ROI (template voxel coordinates) for an object spanning the given voxels."""
        rng = self.rng
        extent = float((np.asarray(truth_box_hi) - truth_box_lo).max() + 1)
        fov = fov_mm(extent, MARGIN_MM) * float(np.exp(rng.uniform(np.log(0.6), np.log(1.6))))
        spacing = fit_spacing(fov, self.patch, 1.0, self.max_spacing)
        centre = (np.asarray(truth_box_lo) + truth_box_hi) / 2.0
        centre = centre + rng.uniform(-0.15, 0.15, 3) * self.patch * spacing
        if self.aligned and rng.random() < self.aligned:  # first voxel on a template voxel
            half = (self.patch - 1) / 2.0 * spacing
            centre = np.round(centre - half) + half
        return roi_grid(np.eye(4), centre, self.patch, spacing)

    def _cube(self, truth: np.ndarray, lo) -> tuple[RoiGrid, Optional[np.ndarray]]:
        """The ROI for the object ``truth`` (its voxels from template voxel ``lo`` on) and the
        first click (template voxel) when it is the engine's first ROI around one, else None."""
        idx = np.argwhere(truth)
        box_lo, box_hi = idx.min(0), idx.max(0)
        extent = float((box_hi - box_lo).max() + 1)
        first = first_click_grid(np.zeros(3), self.patch, self.max_spacing)
        if self.first_click and fov_mm(extent, MARGIN_MM) > self.patch * first.spacing \
                and self.rng.random() < self.first_click:
            crop = truth[tuple(slice(int(a), int(b) + 1) for a, b in zip(box_lo, box_hi))]
            click = deepest_point(crop, rng=self.rng, top=0.5) + box_lo + lo
            return first_click_grid(click, self.patch, self.max_spacing), click
        return self._roi(box_lo + lo, box_hi + lo), None

    def _diameter(self) -> float:
        """A lesion's diameter (mm): log-uniform over 4-30 mm, or 4-8 mm for ``small_lesions``."""
        top = 8.0 if self.small_lesions and self.rng.random() < self.small_lesions else 30.0
        return float(np.exp(self.rng.uniform(np.log(4.0), np.log(top))))

    def _lesion(self):
        """A lesion (and 0-2 others nearby that are not the object) painted around a random
        brain voxel, in a copy of the template's neighbourhood: ``(image, truth, lo)``."""
        rng = self.rng
        centre = self.centres[rng.integers(0, len(self.centres), 1)[0]]
        diameter = self._diameter()
        tissue = self.wm_centres is not None and len(self.wm_centres) and rng.random() < self.tissue_lesions
        if tissue:  # centred in white matter; its size is paint_tissue_lesion's (5-25 mm)
            centre = self.wm_centres[rng.integers(len(self.wm_centres))]
            diameter = TISSUE_LESION_DIAMETER_MM[1]
        half = int(1.2 * diameter) + 20
        shape = np.asarray(self.image.shape)
        lo, hi = np.clip(centre - half, 0, shape), np.clip(centre + half + 1, 0, shape)
        box = tuple(slice(int(a), int(b)) for a, b in zip(lo, hi))
        image, brain = self.image[box].copy(), self.brain[box]
        others = np.zeros(image.shape, bool)
        for c in lesion_centres(brain, int(rng.integers(0, 3)), rng):
            paint_lesion(image, others, brain, c, 1.0, rng)
        truth = np.zeros(image.shape, bool)
        if tissue:
            paint_tissue_lesion(image, truth, brain, self.wm[box], centre - lo, 1.0, rng)
        else:
            paint_lesion(image, truth, brain, centre - lo, 1.0, rng, diameter)
        return image, truth, lo

    def sample(self):
        self.count += 1
        if self.count % self.refresh_every == 0:
            self._new_base()
        rng = self.rng
        while True:
            if rng.random() < 0.75 or not self.csf_ids:
                patch_image, truth, lo = self._lesion()
                if truth.sum() < 8:
                    continue
                grid, click = self._cube(truth, lo)
                box = tuple(slice(int(a), int(a) + n) for a, n in zip(lo, truth.shape))
                original = self.image[box].copy()
                self.image[box] = patch_image  # painted in place for the sampling, then restored
                try:
                    image = sample_volume(self.image, np.eye(4), grid)
                finally:
                    self.image[box] = original
            else:
                label = self.csf_ids[int(rng.integers(len(self.csf_ids)))]
                box = self.csf_boxes[label - 1]
                lo = np.asarray([b.start for b in box])
                truth = self.csf[box] == label
                grid, click = self._cube(truth, lo)
                image = sample_volume(self.image, np.eye(4), grid)
            at_lo = np.eye(4)
            at_lo[:3, 3] = lo
            cube = sample_volume(truth.astype(np.float32), at_lo, grid, cval=0.0) > 0.5
            if cube.sum() >= 8:
                break
        image = apply_stats(degrade(image, rng, self.stats.mean), self.stats)
        if click is not None:  # on the cube's voxels (the engine's first ROI lies on the template's)
            click = np.rint(grid.to_ijk(click)[0]).astype(int)
        order = rng.permutation(3)
        image, truth = image.transpose(order), cube.transpose(order)
        click = None if click is None else click[order]
        for axis in range(3):
            if rng.random() < 0.5:
                image, truth = np.flip(image, axis), np.flip(truth, axis)
                if click is not None:
                    click[axis] = truth.shape[axis] - 1 - click[axis]
        return Cube(np.ascontiguousarray(image), np.ascontiguousarray(truth), grid.spacing, click)


def tissue_contrast_image(t1, gm, wm, hull, rng: np.random.Generator, contrast: Optional[str] = None):
    """The anatomy with T1-, T2- or FLAIR-like tissue contrasts (:data:`..heads.TISSUE_CONTRAST`,
    each tissue's value jittered by 15 %; ``contrast`` or a random one) inside the brain, and the
    T1 image, dimmed, outside."""
    column = int(rng.integers(3)) if contrast is None else ("t1", "t2", "flair").index(contrast)
    value = {name: TISSUE_CONTRAST[name][column] * rng.uniform(0.85, 1.15) for name in ("wm", "gm", "csf")}
    hull = hull.astype(np.float32)
    csf = np.clip(hull - gm - wm, 0, 1)
    inside = value["wm"] * wm + value["gm"] * gm + value["csf"] * csf
    top = float(np.percentile(t1, 99.5)) or 1.0
    outside = np.clip(t1, 0, None) / top * rng.uniform(0.3, 1.0) * (1 - hull)
    texture = 1 + 0.04 * ndimage.gaussian_filter(rng.standard_normal(t1.shape).astype(np.float32), 1.0)
    return ((inside + outside) * texture * top).astype(np.float32)


def validation_objects(anatomy, count: int, patch: int, seed: int = 10_000,
                       clip_percentiles: tuple = TRAINING_CLIP_PERCENTILES, **options) -> list[Cube]:
    """``count`` :class:`Cube` s drawn as in training from ``seed`` (``options``: the
    :class:`ObjectSampler`'s), normalised with ``clip_percentiles`` (a card's own: cards before
    clickseg 1.5.0 clip at 99.5)."""
    sampler = ObjectSampler(anatomy, np.random.default_rng(seed), patch, refresh_every=count + 1,
                            clip_percentiles=clip_percentiles, **options)
    return [sampler.sample() for _ in range(count)]
