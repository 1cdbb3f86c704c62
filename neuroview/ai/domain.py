"""Whether an image is what a model's card says the model was made for: a whole head.

nibabel's ``anatomical.nii`` (a 66 x 82 x 50 mm crop inside the brain: no skull, no air) is over
half the bundled model's 64 mm patch, so it runs (``infer.require_field_of_view``), and the model
marked a 0.4 mL "lesion" in its midline; the only word was "brain extraction skipped". A head
model's result on such an image now carries one note (not a refusal) saying why it means little,
as a CT's does (``segment.segment``, the Segment dialog). Qt- and torch-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .preprocess import field_of_view_mm, smaller_than_a_head

MIN_BACKGROUND = 0.02
"""A head scan shows air round the head (the demo: 78 % of its voxels; a tight head crop still
some 10 %): under 2 % dark voxels is an image with no background."""
DARK = 0.05
"""MR: dark is under 5 % of the way from the image's 0.1th to its 99th percentile."""
AIR_HU = -500.0
"""CT: air is under -500 HU (padding outside the scanned circle, -1024 to -3024, is too)."""
SAMPLE = 2 ** 20


@dataclass(frozen=True)
class ImageDomain:
    extent_mm: tuple
    small: bool
    """Smaller than a head (``preprocess.smaller_than_a_head``)."""
    no_background: bool


def image_domain(image: np.ndarray, ijk_to_ras: np.ndarray, is_ct: bool = False) -> ImageDomain:
    """What ``image`` (3D, on ``ijk_to_ras``) is, as the head check reads it."""
    extent = field_of_view_mm(np.shape(image), ijk_to_ras)
    step = max(1, int(round((np.size(image) / SAMPLE) ** (1 / 3))))
    sample = np.asarray(image[::step, ::step, ::step], dtype=np.float32)
    sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        dark = 1.0
    elif is_ct:
        dark = np.count_nonzero(sample < AIR_HU) / sample.size
    else:
        low, high = np.percentile(sample, [0.1, 99.0])
        dark = np.count_nonzero(sample <= low + DARK * (high - low)) / sample.size
    return ImageDomain(tuple(float(e) for e in extent), smaller_than_a_head(extent),
                       bool(dark < MIN_BACKGROUND))


def made_for_head(card) -> bool:
    """The card extracts the brain, or its description says head."""
    return any(step.get("step") == "brain_extraction" for step in card.preprocessing) or \
        re.search(r"\bheads?\b", card.description or "", re.IGNORECASE) is not None


def reads_ct(card) -> bool:
    """The card names a CT input channel: its result on a CT means what it says."""
    return any(str(name).upper() == "CT" for name in card.input_channels)


def extraction_skipped(domain: ImageDomain, is_ct: bool) -> str:
    """Why a card's brain extraction will be skipped on an image of ``domain`` ("" when it runs),
    in the order ``preprocess.apply_preprocessing`` checks: the field of view, then a CT."""
    if domain.small:
        return "smaller than a head"
    return "a CT, and the brain extraction network reads MR only" if is_ct else ""


def domain_note(card, domain: ImageDomain, extent_said: bool = False) -> str:
    """Why ``card``'s result on an image of ``domain`` means little ("" when nothing is amiss);
    the extent in mm left out when another note gave it (``extent_said``)."""
    if not made_for_head(card):
        return ""
    reasons = []
    if domain.small:
        extent = "" if extent_said else " x ".join(f"{e:.0f}" for e in domain.extent_mm) + " mm: "
        reasons.append(extent + "smaller than a head")
    if domain.no_background:
        reasons.append("no air round it")
    if not reasons:
        return ""
    return (f"{card.ref} was made for whole heads, and this image is not one ("
            + "; ".join(reasons) + "): its result means little")
