"""Training images whose contrast is synthesised from tissue maps, so one model reads T1-, T2- and
FLAIR-like scans alike (the idea of SynthSeg, Billot et al. 2023, applied to the one real brain
that installs offline).

A :class:`Tissues` is the MNI152 anatomy under a random affine + elastic deformation
(:func:`neuroview.ai.synth.deform_anatomy`) as grey matter, white matter and CSF maps plus the real
T1. :func:`synthesize` paints an image from it: a fifth of the time the real T1 (with the tissue
re-weighting, gamma and bias of :func:`synth.vary_contrast`), otherwise each tissue gets an
intensity, mostly near a T1, T2 or FLAIR table (:data:`neuroview.ai.heads.TISSUE_CONTRAST`,
jittered), sometimes drawn at random, with texture, gamma and a smooth bias field. (Training
began with 40 % random tissue intensities; on a CPU budget the network learnt too slowly and went
on with 10 %.) Outside the brain a thin
shell of random intensity stands for what brain extraction's margin keeps (CSF rim, inner table).
The lesions, noise, blur and lost resolution are added per patch by
:func:`synth.training_patch`, as before.

Evaluation cases (:func:`masked_head_cases`) are whole heads from :func:`heads.lesion_head` with
their true brain mask applied the way inference applies the extracted one, so the epoch choice and
the card's synthetic figures see the same input the model sees in use.

Numpy/scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from . import synth
from .heads import TISSUE_CONTRAST
from .normalize import TRAINING_CLIP_PERCENTILES, foreground_stats

CONTRASTS = ("t1", "t2", "flair")


@dataclass
class Tissues:
    t1: np.ndarray
    gm: np.ndarray
    wm: np.ndarray
    csf: np.ndarray
    head: np.ndarray
    """Voxels inside the template's brain mask (bool)."""
    affine: np.ndarray


def deformed_tissues(anatomy: synth.Anatomy, rng: np.random.Generator, spacing: float,
                     deform: bool = True) -> Tissues:
    if deform:
        t1, _, gm, wm, affine = synth.deform_anatomy(anatomy, rng, spacing)
    else:
        t1, _, gm, wm, affine = synth.deform_anatomy(anatomy, rng, spacing, rotation_deg=0.0,
                                                     scale_range=(1.0, 1.0), elastic_mm=0.0)
    head = t1 > 1e-3 * float(t1.max())
    csf = np.clip(head.astype(np.float32) - gm - wm, 0, 1)
    return Tissues(t1, gm, wm, csf, head, affine)


def tissue_values(rng: np.random.Generator, random_share: float = 0.1) -> tuple[float, float, float]:
    """Intensities of (WM, GM, CSF): near a T1/T2/FLAIR table (each tissue jittered by up to
    20 %), or, a fraction ``random_share`` of the time, drawn at random."""
    if rng.random() >= random_share:
        column = int(rng.integers(3))
        values = [TISSUE_CONTRAST[name][column] * rng.uniform(0.8, 1.2) for name in ("wm", "gm", "csf")]
    else:
        values = list(rng.uniform(0.05, 1.0, 3))
    return float(values[0]), float(values[1]), float(values[2])


def synthesize(tissues: Tissues, rng: np.random.Generator, values=None) -> np.ndarray:
    """An image of ``tissues`` with a random contrast (see the module's docstring)."""
    if values is None and rng.random() < 0.2:
        image = synth.vary_contrast(tissues.t1, tissues.gm, tissues.wm, rng)
        return _shell(image, tissues.head, rng)
    wm, gm, csf = values if values is not None else tissue_values(rng)
    image = wm * tissues.wm + gm * tissues.gm + csf * tissues.csf
    texture = ndimage.gaussian_filter(rng.standard_normal(image.shape).astype(np.float32), 1.0)
    image = image * (1 + rng.uniform(0, 0.08) * texture)
    top = float(np.percentile(image[tissues.head], 99.5)) if tissues.head.any() else 1.0
    image = (np.clip(image / (top or 1.0), 0, None) ** rng.uniform(0.75, 1.35))
    bias = synth.smooth_field(image.shape, rng, control=4)[0] * rng.uniform(0, 0.35)
    image = image * np.exp(bias) * rng.uniform(50, 2000)  # any scanner scale
    return _shell(image.astype(np.float32), tissues.head, rng)


def _shell(image: np.ndarray, head: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Zero outside the brain but for a 0-2 voxel shell: what brain extraction's margin keeps of a
    real head (CSF over the cortex, then the inner table of the skull or dura), so a first layer
    mostly as bright as the image's CSF and a second of any intensity, dark more often than not."""
    width = int(rng.integers(0, 3))
    if not width:
        return np.where(head, image, 0).astype(np.float32)
    image = image.copy()
    inside = head
    csf = float(np.percentile(image[head], rng.uniform(2, 98)))
    for layer in range(width):
        grown = ndimage.binary_dilation(inside, iterations=1)
        shell = grown & ~inside
        if layer == 0 and rng.random() < 0.7:
            level = _csf_level(image, head, rng) if rng.random() < 0.8 else csf
        else:
            level = csf * (rng.uniform(0.02, 0.4) if rng.random() < 0.7 else rng.uniform(0.4, 1.5))
        image[shell] = level * (1 + 0.08 * rng.standard_normal(int(shell.sum())))
        inside = grown
    return np.where(inside, np.clip(image, 0, None), 0).astype(np.float32)


def _csf_level(image: np.ndarray, head: np.ndarray, rng: np.random.Generator) -> float:
    """The intensity of the image's outermost brain voxels (mostly CSF), jittered."""
    rim = head & ~ndimage.binary_erosion(head, iterations=1)
    return float(np.median(image[rim])) * rng.uniform(0.8, 1.2) if rim.any() else 0.0


def base_case(tissues: Tissues, rng: np.random.Generator, values=None) -> synth.Case:
    """A training base (no lesions yet) for :func:`synth.training_patch`."""
    image = synthesize(tissues, rng, values)
    brain = np.clip(tissues.gm + tissues.wm, 0, 1)
    case = synth.Case(image, np.zeros(image.shape, np.uint8), tissues.affine, brain,
                      foreground_stats(image, clip_percentiles=TRAINING_CLIP_PERCENTILES), tissues.wm)
    # voxels on the brain's surface, where :func:`synth.training_patch` centres some patches
    case.edge = np.argwhere(tissues.head & ~ndimage.binary_erosion(tissues.head, iterations=1))
    return case


def masked_head_cases(seeds, spacing: int, margin_mm: float = 3.0,
                      report_margin_mm: float = 1.0) -> list[tuple]:
    """Whole heads with lesions (:func:`heads.lesion_head`, contrast cycling T1, T2, FLAIR) as the
    model sees them: outside the true brain dilated by ``margin_mm`` zeroed, normalised.
    Returns ``(image (1, X, Y, Z), labels uint8, contrast, where a finding may be reported)``."""
    from .brain import dilate_mm_margins
    from .heads import lesion_head
    from .normalize import apply_stats

    cases = []
    for index, seed in enumerate(seeds):
        contrast = CONTRASTS[index % 3]
        case = lesion_head(int(seed), contrast, int(spacing))
        allowed, report = dilate_mm_margins(case.brain, case.ijk_to_ras, (margin_mm, report_margin_mm))
        image = np.where(allowed, case.image, 0).astype(np.float32)
        normalised = apply_stats(image, foreground_stats(image, clip_percentiles=TRAINING_CLIP_PERCENTILES))
        cases.append((normalised[None], case.label.astype(np.uint8), contrast, report))
    return cases
