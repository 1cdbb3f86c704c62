"""Synthetic focal lesions on real anatomy, for training and testing the bundled model.

No lesion data set can be downloaded where neuroview is built, so training cases are made from
real anatomy that installs offline: nilearn's MNI152 2009a T1 template with its grey and white
matter probability maps (1 mm). Each case is the anatomy under a random affine + elastic
deformation resampled to the model's spacing, with random global contrast (tissue re-weighting,
gamma, bias field) and 0-5 focal lesions painted into brain tissue: irregular blobs 3-30 mm across,
brighter or darker than the tissue around them, with soft partial-volume edges and texture. Patch
level augmentation adds noise, blur and lost through-plane resolution. Everything is seeded by a
``numpy.random.Generator`` so a case is reproducible from its seed.

Numpy/scipy only (no torch): tests and the training loop both use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..core.errors import ModelError
from ..core.geometry import apply_linear
from .normalize import TRAINING_CLIP_PERCENTILES, IntensityStats, apply_stats, foreground_stats

LESION_DIAMETER_MM = (3.0, 30.0)
TISSUE_LESION_SHARE = 1 / 3
"""The recipe's share of training lesions painted at another tissue's intensity."""
TISSUE_LESION_RATIOS = ((0.5, 0.6), (1.4, 1.5))
"""Their intensity against white matter's: a darker T1 lesion with grey matter's intensity (0.62 of
white matter), a brighter T2 one with grey matter's (1.44)."""
TISSUE_LESION_DIAMETER_MM = (5.0, 25.0)


@dataclass
class Anatomy:
    """A real brain: T1 image, brain-tissue probability (GM + WM) and the 1 mm affine."""

    t1: np.ndarray
    brain: np.ndarray
    affine: np.ndarray
    gm: np.ndarray | None = None
    wm: np.ndarray | None = None
    name: str = ""


def _nilearn_data_dir() -> str:
    import nilearn  # test/training dependency only

    return os.path.join(os.path.dirname(nilearn.__file__), "datasets", "data")


def load_mni_anatomy() -> Anatomy:
    """The MNI152 2009a T1 template and its GM/WM maps as shipped inside nilearn (no network)."""
    import nibabel as nib

    try:
        folder = _nilearn_data_dir()
    except ImportError:
        raise ModelError("training on synthetic lesions needs nilearn (pip install nilearn)") from None
    stem = "mni_icbm152_{}_tal_nlin_sym_09a_converted.nii.gz"
    t1_img = nib.load(os.path.join(folder, stem.format("t1")))
    t1 = np.asarray(t1_img.dataobj, dtype=np.float32)
    gm = np.asarray(nib.load(os.path.join(folder, stem.format("gm"))).dataobj, dtype=np.float32) / 255.0
    wm = np.asarray(nib.load(os.path.join(folder, stem.format("wm"))).dataobj, dtype=np.float32) / 255.0
    return Anatomy(t1, np.clip(gm + wm, 0, 1), np.asarray(t1_img.affine, float), gm, wm, "MNI152 2009a")


def load_nibabel_anatomy() -> Anatomy:
    """A second, different real brain: nibabel's test ``anatomical.nii`` (2 mm, 33x41x25, LAS).

    It has no tissue maps; brain tissue is taken as the voxels above the 25th intensity
    percentile (the volume is a crop of the brain), eroded by one voxel.
    """
    import nibabel as nib

    path = os.path.join(os.path.dirname(nib.__file__), "tests", "data", "anatomical.nii")
    img = nib.load(path)
    t1 = np.asarray(img.dataobj, dtype=np.float32)
    t1 = np.clip(t1, 0, None)
    mask = t1 > np.percentile(t1, 25)
    mask = ndimage.binary_erosion(mask, iterations=1)
    return Anatomy(t1, mask.astype(np.float32), np.asarray(img.affine, float), name="nibabel anatomical.nii")


# -- deformation ------------------------------------------------------------------------------
def _rotation(angles) -> np.ndarray:
    ax, ay, az = angles
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


def smooth_field(shape, rng: np.random.Generator, control: int = 5, components: int = 1) -> np.ndarray:
    """A smooth random field in [-1, 1] (cubic interpolation of a coarse random grid).

    ``ndimage.zoom(coarse, shape / control, order=3, mode="nearest", grid_mode=True)``, computed
    as what it is, a product of one weight matrix per axis (the spline's prefilter and kernel act
    on each axis alone): the same field to 1e-14, 40x faster on a 1 mm head's grid."""
    coarse = rng.uniform(-1, 1, size=(components, control, control, control))
    weights = [_zoom_weights(control, int(n)) for n in shape]
    return np.stack([np.einsum("abc,ia,jb,kc->ijk", c, *weights, optimize=True) for c in coarse])


def _zoom_weights(control: int, n: int) -> np.ndarray:
    """``(n, control)``: column ``a`` is the 1-D cubic zoom of the ``a``-th unit vector to ``n``."""
    return np.stack([ndimage.zoom(unit, n / control, order=3, mode="nearest", grid_mode=True)
                     for unit in np.eye(control)], axis=1)


def deform_anatomy(anatomy: Anatomy, rng: np.random.Generator, spacing: float = 1.5,
                   rotation_deg: float = 15.0, scale_range=(0.85, 1.15), elastic_mm: float = 4.0,
                   margin_mm: float = 8.0):
    """Resample the anatomy to ``spacing`` under a random affine + elastic deformation.

    Returns ``(t1, brain, gm, wm, ijk_to_ras)`` on the new grid (gm/wm are None when the anatomy
    has no tissue maps). The grid covers the head's bounding box.
    """
    head = anatomy.t1 > 0.1 * np.percentile(anatomy.t1, 99)
    idx = np.argwhere(head)
    lo_ijk, hi_ijk = idx.min(0), idx.max(0)
    corners = np.array([[a, b, c] for a in (lo_ijk[0], hi_ijk[0]) for b in (lo_ijk[1], hi_ijk[1])
                        for c in (lo_ijk[2], hi_ijk[2])], float)
    corners_mm = corners @ anatomy.affine[:3, :3].T + anatomy.affine[:3, 3]
    lo_mm, hi_mm = corners_mm.min(0) - margin_mm, corners_mm.max(0) + margin_mm
    shape = tuple(int(np.ceil((hi_mm[d] - lo_mm[d]) / spacing)) + 1 for d in range(3))
    out_affine = np.diag([spacing, spacing, spacing, 1.0])
    out_affine[:3, 3] = lo_mm
    centre = (lo_mm + hi_mm) / 2

    linear = _rotation(np.deg2rad(rng.uniform(-rotation_deg, rotation_deg, 3)))
    linear = linear @ np.diag(rng.uniform(*scale_range, 3))
    linear = linear + rng.uniform(-0.05, 0.05, (3, 3))  # a little shear
    shift = rng.uniform(-5, 5, 3)

    grid = np.indices(shape, dtype=np.float32).reshape(3, -1).T
    p_out = grid * spacing + lo_mm.astype(np.float32)
    p_src = apply_linear(linear.astype(np.float32), p_out - centre) + centre + shift
    if elastic_mm > 0:
        field = smooth_field(shape, rng, control=int(rng.integers(4, 8)), components=3)
        p_src += (field.reshape(3, -1).T * rng.uniform(0, elastic_mm)).astype(np.float32)
    src_inv = np.linalg.inv(anatomy.affine)
    ijk = (apply_linear(src_inv[:3, :3].astype(np.float32), p_src) + src_inv[:3, 3].astype(np.float32)).T

    def warp(array):
        if array is None:
            return None
        return ndimage.map_coordinates(array, ijk, order=1, mode="constant", cval=0.0,
                                       prefilter=False).reshape(shape).astype(np.float32)

    return warp(anatomy.t1), warp(anatomy.brain), warp(anatomy.gm), warp(anatomy.wm), out_affine


def vary_contrast(t1, gm, wm, rng: np.random.Generator) -> np.ndarray:
    """Global contrast changes: tissue re-weighting, gamma, multiplicative bias field."""
    image = np.clip(t1, 0, None)
    if gm is not None and wm is not None:
        image = image * (1 + rng.uniform(-0.15, 0.15) * gm + rng.uniform(-0.1, 0.1) * wm)
    top = float(np.percentile(image, 99.5)) or 1.0
    image = (np.clip(image / top, 0, None) ** rng.uniform(0.7, 1.5)) * top
    bias = smooth_field(image.shape, rng, control=4)[0] * rng.uniform(0, 0.3)
    return (image * np.exp(bias)).astype(np.float32)


# -- lesions ----------------------------------------------------------------------------------
def _lesion_shape(shape, centre, spacing: float, rng: np.random.Generator, diameter_mm: float,
                  irregular: bool = True):
    """The box around ``centre`` a lesion of ``diameter_mm`` may fill, and its level there (> 0
    inside): an ellipsoid with a randomly perturbed surface, or a sphere; ``None`` when the box is
    empty. Also the radius in voxels."""
    radius = diameter_mm / 2 / spacing  # voxels
    axes = radius * rng.uniform(0.65, 1.35, 3) if irregular else np.full(3, radius)
    reach = int(np.ceil(axes.max() * 1.4)) + 2
    lo = np.maximum(np.asarray(centre) - reach, 0)
    hi = np.minimum(np.asarray(centre) + reach + 1, shape)
    if np.any(hi - lo < 1):
        return None, None, radius
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    coords = np.indices(hi - lo, dtype=np.float32).reshape(3, -1).T + lo - np.asarray(centre)
    if irregular:
        coords = apply_linear(_rotation(rng.uniform(-np.pi, np.pi, 3)).astype(np.float32), coords)
    distance = np.sqrt(((coords / axes) ** 2).sum(1)).reshape(hi - lo)
    level = 1.0 - distance
    if irregular:
        roughness = smooth_field(hi - lo, rng, control=int(rng.integers(3, 6)))[0]
        level = level + rng.uniform(0.1, 0.35) * roughness
    return box, level, radius


def paint_lesion(image: np.ndarray, label: np.ndarray, brain: np.ndarray, centre, spacing: float,
                 rng: np.random.Generator, diameter_mm: float | None = None) -> None:
    """Paint one irregular lesion into ``image`` (in place) and mark it in ``label``.

    The lesion is an ellipsoid with a randomly perturbed surface, restricted to brain tissue,
    blended with a soft edge into an intensity 20-80 % above or below the local tissue.
    """
    if diameter_mm is None:
        diameter_mm = float(np.exp(rng.uniform(*np.log(LESION_DIAMETER_MM))))
    box, level, radius = _lesion_shape(image.shape, centre, spacing, rng, diameter_mm)
    if box is None:
        return
    edge = rng.uniform(0.4, 1.0) / max(radius, 1.0)
    soft = 1.0 / (1.0 + np.exp(-level / edge))
    tissue = brain[box] > 0.35
    soft *= np.clip((brain[box] - 0.2) * 4, 0, 1)
    lesion = (level > 0) & tissue
    if not lesion.any():
        return
    local = float(np.median(image[box][tissue])) if tissue.any() else float(np.median(image[box]))
    if rng.random() < 0.5:
        contrast = rng.uniform(0.2, 0.8)
    else:
        contrast = -rng.uniform(0.2, 0.6)
    texture = 1 + rng.uniform(0, 0.1) * ndimage.gaussian_filter(rng.standard_normal(level.shape), 1.0) * 2
    target = local * (1 + contrast) * texture
    image[box] = image[box] * (1 - soft) + target * soft
    label[box] |= lesion


def paint_tissue_lesion(image: np.ndarray, label: np.ndarray, brain: np.ndarray, wm: np.ndarray,
                        centre, spacing: float, rng: np.random.Generator) -> None:
    """Paint one hard-edged lesion at another tissue's intensity into ``image`` (in place): at
    0.5-0.6 or 1.4-1.5 of the local white matter's (``wm``: its probability map), where a T1's
    grey matter and a T2's lie, so the network cannot take grey matter's intensity inside white
    matter for normal. Half of them spheres, half irregular, :data:`TISSUE_LESION_DIAMETER_MM`."""
    diameter_mm = float(np.exp(rng.uniform(*np.log(TISSUE_LESION_DIAMETER_MM))))
    box, level, _ = _lesion_shape(image.shape, centre, spacing, rng, diameter_mm,
                                  irregular=bool(rng.random() < 0.5))
    if box is None:
        return
    lesion = (level > 0) & (brain[box] > 0.35)
    white = wm[box] > 0.9
    if not lesion.any() or not white.any():
        return
    ratio = rng.uniform(*TISSUE_LESION_RATIOS[int(rng.integers(2))])
    texture = 1 + rng.uniform(0, 0.03) * ndimage.gaussian_filter(rng.standard_normal(level.shape), 1.0) * 2
    target = float(np.median(image[box][white])) * ratio * texture
    image[box] = np.where(lesion, target, image[box])
    label[box] |= lesion


def paint_lesions(image: np.ndarray, label: np.ndarray, brain: np.ndarray, wm, count: int,
                  spacing: float, rng: np.random.Generator, tissue_share: float = 0.0) -> None:
    """Paint ``count`` lesions into brain tissue: a share ``tissue_share`` of them (when the white
    matter map ``wm`` is given) in white matter at another tissue's intensity
    (:func:`paint_tissue_lesion`), the others by :func:`paint_lesion`."""
    for centre in lesion_centres(brain, count, rng):
        if tissue_share > 0 and wm is not None and rng.random() < tissue_share:
            inside = lesion_centres(wm, 1, rng, 0.9)
            paint_tissue_lesion(image, label, brain, wm, inside[0] if inside else centre, spacing, rng)
        else:
            paint_lesion(image, label, brain, centre, spacing, rng)


def lesion_centres(brain: np.ndarray, count: int, rng: np.random.Generator, min_brain: float = 0.6):
    candidates = np.argwhere(brain > min_brain)
    if len(candidates) == 0 or count == 0:
        return []
    return [candidates[i] for i in rng.integers(0, len(candidates), count)]


# -- noise, blur, resolution --------------------------------------------------------------------
def degrade(image: np.ndarray, rng: np.random.Generator, scale: float) -> np.ndarray:
    """Blur, lost through-plane resolution and Rician-like noise (``scale`` ~ tissue intensity)."""
    if rng.random() < 0.3:
        image = ndimage.gaussian_filter(image, rng.uniform(0, 1.0, 3))
    if rng.random() < 0.2:
        axis = int(rng.integers(3))
        factor = rng.uniform(1.5, 3.0)
        zoom = [1.0, 1.0, 1.0]
        zoom[axis] = 1 / factor
        small = ndimage.zoom(image, zoom, order=1, grid_mode=True, mode="nearest")
        image = ndimage.zoom(small, [a / b for a, b in zip(image.shape, small.shape)], order=1,
                             grid_mode=True, mode="nearest")
    sigma = rng.uniform(0, 0.06) * scale
    if sigma > 0:
        real = image + rng.normal(0, sigma, image.shape)
        imag = rng.normal(0, sigma, image.shape)
        image = np.sqrt(real ** 2 + imag ** 2)
    return image.astype(np.float32)


@dataclass
class Case:
    """One synthetic case on its own grid: raw image, lesion labels (uint8) and affine."""

    image: np.ndarray
    label: np.ndarray
    ijk_to_ras: np.ndarray
    brain: np.ndarray
    stats: IntensityStats
    wm: np.ndarray | None = None
    """White matter probability (training bases), for lesions at another tissue's intensity."""


def make_anatomy_sample(anatomy: Anatomy, rng: np.random.Generator, spacing: float = 1.5,
                        deform: bool = True, skull_strip_p: float = 0.2) -> Case:
    """A deformed, re-contrasted anatomy without lesions (lesions are added per patch/case)."""
    if deform:
        t1, brain, gm, wm, affine = deform_anatomy(anatomy, rng, spacing)
    else:
        zoom = np.asarray(np.linalg.norm(anatomy.affine[:3, :3], axis=0)) / spacing
        t1 = ndimage.zoom(anatomy.t1, zoom, order=1, grid_mode=True, mode="nearest")
        brain = ndimage.zoom(anatomy.brain, zoom, order=1, grid_mode=True, mode="nearest")
        gm = wm = None
        affine = anatomy.affine.copy()
        affine[:3, :3] = anatomy.affine[:3, :3] / zoom[None, :]
        affine[:3, 3] = anatomy.affine[:3, 3] + anatomy.affine[:3, :3] @ (0.5 / zoom - 0.5)
    image = vary_contrast(t1, gm, wm, rng)
    if rng.random() < skull_strip_p:
        image = image * ndimage.binary_dilation(brain > 0.3, iterations=2)
    stats = foreground_stats(image, clip_percentiles=TRAINING_CLIP_PERCENTILES)
    return Case(image, np.zeros(image.shape, np.uint8), affine, brain, stats)


def add_lesions(case: Case, rng: np.random.Generator, count: int, spacing: float = 1.5,
                degrade_image: bool = True) -> Case:
    """A copy of ``case`` with ``count`` lesions painted in, then degraded."""
    image = case.image.copy()
    label = np.zeros(image.shape, bool)
    for centre in lesion_centres(case.brain, count, rng):
        paint_lesion(image, label, case.brain, centre, spacing, rng)
    if degrade_image:
        image = degrade(image, rng, case.stats.mean)
    return Case(image, label.astype(np.uint8), case.ijk_to_ras, case.brain, case.stats)


def make_case(anatomy: Anatomy, seed: int, spacing: float = 1.5, lesions=(1, 5),
              deform: bool = True) -> Case:
    """A complete synthetic case from ``seed``: deformed anatomy with 1-5 lesions."""
    rng = np.random.default_rng(seed)
    base = make_anatomy_sample(anatomy, rng, spacing, deform=deform, skull_strip_p=0.0)
    return add_lesions(base, rng, int(rng.integers(lesions[0], lesions[1] + 1)), spacing)


def training_patch(base: Case, rng: np.random.Generator, patch: int, spacing: float = 1.5,
                   in_brain: float = 0.65, with_lesions: float = 0.65, on_edge: float = 0.0,
                   tissue_share: float = 0.0):
    """A normalised ``patch``^3 crop of ``base`` with 0-3 lesions: ``(image, label)`` float32/uint8.

    A fraction ``in_brain`` of the crops is centred in brain tissue, ``on_edge`` on the brain's
    surface (``base.edge``, voxel indices, when the base has them), the rest anywhere in the
    head; a fraction ``with_lesions`` holds 1-3 lesions, the rest none, a share ``tissue_share``
    of them at another tissue's intensity (:func:`paint_lesions`).
    """
    shape = np.asarray(base.image.shape)
    size = np.minimum(shape, patch)
    draw = rng.random()
    edge = getattr(base, "edge", None)
    if edge is not None and len(edge) and draw >= 1 - on_edge:
        centre = edge[int(rng.integers(len(edge)))]
        start = np.clip(centre - size // 2 + rng.integers(-patch // 4, patch // 4 + 1, 3), 0, shape - size)
    elif draw < in_brain:
        centre = lesion_centres(base.brain, 1, rng, 0.5) or [shape // 2]
        start = np.clip(centre[0] - size // 2 + rng.integers(-patch // 4, patch // 4 + 1, 3), 0, shape - size)
    else:
        start = rng.integers(0, shape - size + 1)
    box = tuple(slice(int(a), int(a + b)) for a, b in zip(start, size))
    image = base.image[box].copy()
    brain = base.brain[box]
    label = np.zeros(image.shape, bool)
    # A third of the patches without lesions: in a whole brain most windows hold none, and the
    # model must learn to leave normal anatomy (sulci, ventricles, vessels) unmarked.
    count = int(rng.integers(1, 4)) if rng.random() < with_lesions else 0
    paint_lesions(image, label, brain, None if base.wm is None else base.wm[box], count, spacing, rng,
                  tissue_share)
    image = degrade(image, rng, base.stats.mean)
    image = apply_stats(image, base.stats)
    if tuple(image.shape) != (patch,) * 3:
        pad = [(0, patch - s) for s in image.shape]
        image = np.pad(image, pad, constant_values=float(apply_stats(np.zeros(1), base.stats)[0]))
        label = np.pad(label, pad)
    for axis in range(3):  # left-right and other flips: lesions have no preferred side
        if rng.random() < 0.5:
            image, label = np.flip(image, axis), np.flip(label, axis)
    return np.ascontiguousarray(image), np.ascontiguousarray(label.astype(np.uint8))
