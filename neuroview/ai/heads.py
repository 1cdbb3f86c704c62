"""Whole heads for testing and training brain extraction and the lesion cascade.

The only real anatomy that installs offline is nilearn's MNI152 2009a template, and nilearn ships
it already skull-stripped (the brain plus the CSF around it, zero outside). A clinical scan has a
skull and scalp, so :func:`synthetic_head` wraps the real brain in layered tissue made from the
distance to the brain's surface: a CSF rim, the skull's inner table, diploe (marrow), outer table,
scalp fat and muscle, each with its own T1 / T2 / FLAIR intensity and a little texture, so that
every contrast is synthesised from tissue maps (GM, WM, CSF from the template, the rest from the
layers). The reference brain mask is the template's own (its non-zero voxels), which is what
nilearn's ``load_mni152_brain_mask`` gives too. Being honest about it: the brain is real, the
skull is a model of one.

Numpy/scipy only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .synth import load_mni_anatomy

# Relative intensities per tissue: (T1, T2, FLAIR). WM, GM, CSF as on a 3 T scanner; outside the
# brain: CSF rim, cortical bone (dark on all), diploe and scalp fat (bright on T1, mid on T2),
# muscle (dark-mid).
TISSUE_CONTRAST = {
    "wm": (1.00, 0.45, 0.55),
    "gm": (0.62, 0.65, 0.80),
    "csf": (0.18, 1.00, 0.10),
    "bone": (0.05, 0.05, 0.05),
    "diploe": (0.70, 0.45, 0.50),
    "fat": (0.95, 0.60, 0.70),
    "muscle": (0.40, 0.30, 0.35),
}
# Layers outside the brain as (tissue, outer distance from the brain surface in mm).
LAYERS = (("csf", 2.0), ("bone", 3.5), ("diploe", 5.5), ("bone", 7.0), ("muscle", 9.0),
          ("fat", 13.0))


@dataclass
class Head:
    image: np.ndarray
    ijk_to_ras: np.ndarray
    brain: np.ndarray
    """Reference brain mask (bool) on the image's grid."""
    gm: np.ndarray
    wm: np.ndarray


LAYER_REACH = int(np.ceil(LAYERS[-1][1])) + 1
"""Voxels beyond the brain's tissue maps that the layers can reach (every layer lies within it)."""
TEXTURE_REACH = 4
"""The texture's smoothing reaches this many voxels (``gaussian_filter``'s sigma 1, truncate 4)."""


@functools.lru_cache(maxsize=1)
def _padded_template(pad: int):
    """The template's brain mask, GM and WM padded by ``pad`` voxels, their affine, each voxel's
    distance (mm) from the brain, and the head's box: the same for every head, so computed once
    (read-only). The head's box holds every voxel with tissue (brain, GM, WM, the layers): the
    tissue maps' box grown by :data:`LAYER_REACH`; the distance is exact there and ``inf``
    outside it, where every voxel is more than ``LAYERS``' last reach away from the brain
    (the distance transform on that box only: 1.0 s against 2.4 s of CPU for the whole grid)."""
    anatomy = load_mni_anatomy()
    brain = np.pad(anatomy.t1 > 0, pad)
    gm = np.pad(anatomy.gm, pad)
    wm = np.pad(anatomy.wm, pad)
    affine = anatomy.affine.copy()
    affine[:3, 3] -= affine[:3, :3] @ np.full(3, pad)
    tissue = ndimage.find_objects((brain | (gm > 0) | (wm > 0)).view(np.uint8))[0]
    box = tuple((max(s.start - LAYER_REACH, 0), min(s.stop + LAYER_REACH, n))
                for s, n in zip(tissue, brain.shape))
    inside = tuple(slice(*b) for b in box)
    distance = np.full(brain.shape, np.inf, np.float32)
    distance[inside] = _distance_from(brain[inside])
    for array in (brain, gm, wm, affine, distance):
        array.setflags(write=False)
    return brain, gm, wm, affine, distance, box


def _distance_from(mask: np.ndarray) -> np.ndarray:
    """``ndimage.distance_transform_edt(~mask)`` as float32 (1 mm voxels): the same values, from
    SimpleITK's exact (Maurer) squared distances, whole numbers, and their float64 root (0.6 s
    against 1.0 s of CPU on the head's box)."""
    import SimpleITK as sitk

    squared = sitk.SignedMaurerDistanceMapImageFilter()
    squared.SetUseImageSpacing(False)
    squared.SetSquaredDistance(True)
    squared.SetInsideIsPositive(False)
    image = sitk.GetImageFromArray(np.ascontiguousarray(mask).view(np.uint8))
    values = sitk.GetArrayFromImage(squared.Execute(image))
    return np.sqrt(np.maximum(values, 0).astype(np.float64)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _layer_index(pad: int) -> np.ndarray:
    """On the head's box (:func:`_padded_template`): 0 in the brain and beyond the layers, else
    the 1-based index of the voxel's layer in :data:`LAYERS` (read-only, made once)."""
    distance, box = _padded_template(pad)[4:]
    distance = distance[tuple(slice(*b) for b in box)]
    index = np.zeros(distance.shape, np.uint8)
    inner = 0.0
    for number, (_, outer) in enumerate(LAYERS, start=1):
        index[(distance > inner) & (distance <= outer)] = number
        inner = outer
    index.setflags(write=False)
    return index


@functools.lru_cache(maxsize=1)
def _random_fields(seed: int, shape: tuple[int, ...], box: tuple[tuple[int, int], ...]):
    """A seed's texture (smoothed unit noise) on the head's ``box`` and additive noise
    (|N(0, 0.01)|) on the whole grid, read-only: they depend on the seed and the grid only, not
    on the contrast or the skull, so the heads of one seed (t1, t2, flair, thick slices, issue
    #12's variants) draw them once. The texture is smoothed on the box grown by its reach only
    (the same values there as on the whole grid: outside the box the image is zero and the
    texture unused). The last seed's are kept (113 MB for the padded 1 mm grid)."""
    rng = np.random.default_rng(seed)
    unit = rng.normal(0, 1, shape)
    grown = tuple(slice(max(a - TEXTURE_REACH, 0), min(b + TEXTURE_REACH, n))
                  for (a, b), n in zip(box, shape))
    within = tuple(slice(a - g.start, b - g.start) for (a, b), g in zip(box, grown))
    texture = ndimage.gaussian_filter(unit[grown].astype(np.float32), 1.0)[within]
    noise = np.abs(rng.normal(0, 0.01, shape)).astype(np.float32)
    for array in (texture, noise):
        array.setflags(write=False)
    return texture, noise


def synthetic_head(contrast: str = "t1", skull: bool = True, seed: int = 0,
                   pad_mm: float = 18.0) -> Head:
    """The MNI152 brain in a synthetic skull and scalp (1 mm), in ``t1``, ``t2`` or ``flair``."""
    if contrast not in ("t1", "t2", "flair"):
        raise ValueError(f"unknown contrast {contrast!r}")
    column = ("t1", "t2", "flair").index(contrast)
    pad = int(round(pad_mm))
    brain, gm, wm, affine, distance, box = _padded_template(pad)
    inside = tuple(slice(*b) for b in box)
    # outside the head's box there is no tissue: the image is the noise there (0 * ... + noise)
    texture, noise = _random_fields(seed, brain.shape, box)
    out = noise * 600
    gm_box, wm_box = gm[inside], wm[inside]
    csf = np.clip(brain[inside].astype(np.float32) - gm_box - wm_box, 0, 1)
    image = sum(TISSUE_CONTRAST[name][column] * tissue
                for name, tissue in (("wm", wm_box), ("gm", gm_box), ("csf", csf)))
    image = image.astype(np.float32)
    if skull:
        layers = _layer_index(pad)
        values = np.array([0.0] + [TISSUE_CONTRAST[name][column] for name, _ in LAYERS], np.float32)
        image = np.where(layers > 0, values[layers], image)
    image = image * (1 + 0.04 * texture) * (image > 0)
    out[inside] = (image + noise[inside]) * 600
    return Head(out.astype(np.float32, copy=False), affine, brain, gm, wm)


def thick_slices(image: np.ndarray, ijk_to_ras: np.ndarray, thickness: int = 5, axis: int = 2,
                 order: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Every ``thickness``-th plane along ``axis``, each the mean of the slab it stands for (as a
    scanner's thick slice is), with the affine of the new grid."""
    n = image.shape[axis] // thickness
    moved = np.moveaxis(image, axis, 0)[: n * thickness]
    if order == 0:
        slabs = moved[thickness // 2::thickness]
    else:
        slabs = moved.reshape((n, thickness) + moved.shape[1:]).mean(axis=1)
    out = np.moveaxis(slabs, 0, axis).astype(image.dtype)
    affine = np.asarray(ijk_to_ras, float).copy()
    offset = np.zeros(3)
    offset[axis] = (thickness - 1) / 2
    affine[:3, 3] = affine[:3, :3] @ offset + affine[:3, 3]
    affine[:3, axis] *= thickness
    return out, affine


def reorient(image: np.ndarray, ijk_to_ras: np.ndarray, order=(1, 2, 0), flips=(0, 1)):
    """The same voxels with axes permuted by ``order`` and flipped along ``flips`` (new axes);
    the returned affine maps them to the same RAS points."""
    array = np.transpose(image, order)
    affine = np.asarray(ijk_to_ras, float)
    linear = affine[:3, :3][:, list(order)]
    origin = affine[:3, 3].copy()
    for axis in flips:
        array = np.flip(array, axis)
        origin = origin + linear[:, axis] * (array.shape[axis] - 1)
        linear[:, axis] = -linear[:, axis]
    out = np.eye(4)
    out[:3, :3] = linear
    out[:3, 3] = origin
    return np.ascontiguousarray(array), out


VARIANTS = {"t1": ("t1", 2, 0), "t2": ("t2", 2, 0), "flair": ("flair", 2, 0), "t1_5mm": ("t1", 1, 5)}
"""Evaluation variants: (contrast, isotropic spacing mm, slice thickness mm or 0)."""


@dataclass
class LesionHead:
    image: np.ndarray
    ijk_to_ras: np.ndarray
    label: np.ndarray
    """Lesion mask (bool) on the image's grid."""
    brain: np.ndarray


def _block_mean(array: np.ndarray, factor: int) -> np.ndarray:
    shape = tuple(s // factor for s in array.shape)
    cropped = array[: shape[0] * factor, : shape[1] * factor, : shape[2] * factor].astype(np.float32)
    return cropped.reshape(shape[0], factor, shape[1], factor, shape[2], factor).mean(axis=(1, 3, 5))


@functools.lru_cache(maxsize=2)
def _tissue_on_grid(step: int) -> tuple[np.ndarray, np.ndarray]:
    """The default head's brain tissue (GM + WM) and brain mask at ``step`` mm (block means; the
    mask where over half a block is brain), read-only: the same for every seed and contrast."""
    brain, gm, wm = _padded_template(18)[:3]
    tissue = gm + wm
    if step > 1:
        tissue, brain = _block_mean(tissue, step), _block_mean(brain, step) > 0.5
    for array in (tissue, brain):
        array.setflags(write=False)
    return tissue, brain


def lesion_head(seed: int, contrast: str = "t1", spacing: int = 2, thickness: int = 0,
                lesions: tuple[int, int] = (2, 6)) -> LesionHead:
    """A head with skull and 2-6 synthetic lesions (3-30 mm, brighter or darker, in brain
    tissue), at ``spacing`` mm isotropic (block means of the 1 mm head), or with ``thickness``
    mm slices along the last axis (1 mm in-plane) when ``thickness`` is given."""
    from .synth import lesion_centres, paint_lesion

    rng = np.random.default_rng(seed)
    head = synthetic_head(contrast, skull=True, seed=seed)
    step = 1 if thickness else int(spacing)
    image = head.image
    tissue, brain = _tissue_on_grid(step)
    affine = head.ijk_to_ras.copy()
    if step > 1:
        image = _block_mean(image, step)
        affine[:3, 3] += affine[:3, :3] @ np.full(3, (step - 1) / 2)
        affine[:3, :3] *= step
    image = image.copy()
    label = np.zeros(image.shape, bool)
    for centre in lesion_centres(tissue, int(rng.integers(lesions[0], lesions[1] + 1)), rng):
        paint_lesion(image, label, tissue, centre, float(step), rng)
    if thickness:
        image, new_affine = thick_slices(image, affine, thickness)
        label = thick_slices(label.astype(np.float32), affine, thickness)[0] > 0.5
        brain = thick_slices(brain.astype(np.float32), affine, thickness)[0] > 0.5
        affine = new_affine
    return LesionHead(image.astype(np.float32), affine, label, brain)


@functools.lru_cache(maxsize=1)
def _deep_white_matter(pad: int) -> np.ndarray:
    """The voxels (``argwhere``) of the template's white matter eroded by three voxels, where
    :func:`wm_lesion_head` places its lesions: the same for every seed and contrast, so eroded
    once (0.2 s of CPU a head), read-only."""
    deep = np.argwhere(ndimage.binary_erosion(_padded_template(pad)[2] > 0.5, iterations=3))
    deep.setflags(write=False)
    return deep


WM_LESION_RADIUS_MM = (3.0, 11.0)
WM_LESION_CONTRAST = 0.45


def wm_lesion_head(seed: int, contrast: str = "t1", lesions: int = 8, thickness: int = 0) -> LesionHead:
    """Issue #12's check case: a 1 mm head with skull and ``lesions`` spherical white-matter
    lesions of 3-11 mm radius, alternately 45 % brighter and 45 % darker than the tissue they
    replace, at least 25 mm apart, stored in a sagittal scanner's axis order (the affine says so)
    and intensity scale (x 10-3000); ``thickness`` mm slices along the stored last axis if given.
    Painted here, not by the training recipe (:func:`synth.paint_lesion`): hard edges, one
    contrast, deep white matter only."""
    rng = np.random.default_rng(seed)
    head = synthetic_head(contrast, skull=True, seed=seed)
    image = head.image.copy()
    label = np.zeros(image.shape, bool)
    deep = _deep_white_matter(18)
    centres: list[np.ndarray] = []
    for _ in range(10_000):
        if len(centres) == lesions:
            break
        centre = deep[int(rng.integers(len(deep)))]
        if all(np.linalg.norm(centre - other) > 25 for other in centres):
            centres.append(centre)
    for index, centre in enumerate(centres):
        radius = rng.uniform(*WM_LESION_RADIUS_MM)
        reach = int(np.ceil(radius)) + 1
        lo = np.maximum(centre - reach, 0)
        box = tuple(slice(int(a), int(c) + reach + 1) for a, c in zip(lo, centre))
        grid = np.indices(image[box].shape, dtype=np.float32) + lo.reshape(3, 1, 1, 1)
        sphere = (np.sqrt(((grid - centre.reshape(3, 1, 1, 1)) ** 2).sum(0)) <= radius) & head.brain[box]
        image[box][sphere] *= 1 + (WM_LESION_CONTRAST if index % 2 == 0 else -WM_LESION_CONTRAST)
        label[box] |= sphere
    image = image * float(10 ** rng.uniform(1, np.log10(3000))) / 600
    brain = head.brain
    image, affine = reorient(image, head.ijk_to_ras)
    label, brain = reorient(label, head.ijk_to_ras)[0], reorient(brain, head.ijk_to_ras)[0]
    if thickness:
        label = thick_slices(label.astype(np.float32), affine, thickness)[0] > 0.5
        brain = thick_slices(brain.astype(np.float32), affine, thickness)[0] > 0.5
        image, affine = thick_slices(image, affine, thickness)
    return LesionHead(np.ascontiguousarray(image, np.float32), affine, np.ascontiguousarray(label),
                      np.ascontiguousarray(brain))


WM_VARIANTS = {"wm_t1": ("t1", 0), "wm_t2": ("t2", 0), "wm_flair": ("flair", 0), "wm_t1_5mm": ("t1", 5)}
"""Issue #12's check as evaluation variants (:func:`wm_lesion_head`): (contrast, slice thickness
mm or 0)."""


def variant_case(variant: str, seed: int) -> LesionHead:
    """The evaluation head of ``variant`` (a key of :data:`VARIANTS` or :data:`WM_VARIANTS`)."""
    if variant in WM_VARIANTS:
        contrast, thickness = WM_VARIANTS[variant]
        return wm_lesion_head(seed, contrast, thickness=thickness)
    contrast, spacing, thickness = VARIANTS[variant]
    return lesion_head(seed, contrast, spacing, thickness)
