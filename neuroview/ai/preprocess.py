"""Preprocessing steps a model card declares, run before the model and applied to its output.

A card lists them in order, e.g. ``"preprocessing": [{"step": "brain_extraction",
"margin_mm": 3, "report_margin_mm": 1}]``. ``brain_extraction`` computes a brain mask on the first
input channel (:mod:`neuroview.ai.brain`), sets every input voxel further than ``margin_mm`` from
the brain to zero (the model sees a skull-stripped head, as it was trained), and afterwards clears
whatever the model reports further than ``report_margin_mm`` (default: ``margin_mm``) from the
brain, and the regions left in that margin that touch no brain voxel. The mask stays on the result
(``SegmentationResult.brain_mask``) so that the user can show it and read its volume. The step
is skipped, with a note, on an image smaller than a head and on a CT.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np

from ..core.errors import ModelError
from ..core.geometry import stated_spacing
from ..core.jobs import CancelToken, check
from ..core.modality import looks_like_ct

KNOWN_STEPS = {"brain_extraction": {"margin_mm": (0.0, 20.0), "report_margin_mm": (0.0, 20.0)}}
"""Each step and its numeric options with their allowed ranges."""
MIN_HEAD_FOV_MM = (130.0, 80.0)
"""Brain extraction needs the whole head in view: at least 130 mm along two axes and 80 mm along
the third (a head is some 150 x 180 x 130 mm; 80 mm lets a thick-slice stack that covers the
brain pass). A slab or a crop of the brain is left as it is, with a note on the result."""
BRAIN_ML = (700.0, 2600.0)
"""A head's extracted brain holds 700-2600 mL: an adult's intracranial volume is 900-2000 mL
(the MNI152 template's brain, larger than most, 1940 mL as deepbet extracts it), less where a
thick-slice stack covers 80 mm of it. Brain extraction gave an untagged knee MR 444 mL and an
abdomen 5290 mL (``neuroview.ai.not_heads``, ``bench/not_a_head.py``)."""
BRAIN_LONGEST_MM = 220.0
"""A brain is at most some 185 mm long (front to back; the template's 182 mm): a longer "brain"
is a body's (a sagittal lumbar spine's ran 250 mm down the column)."""


def field_of_view_mm(shape, ijk_to_ras) -> np.ndarray:
    """The grid's extent in mm along each voxel axis: the voxel count times the voxel size, a
    gantry-tilted grid's slice axis by the distance between its slice planes (:func:`stated_spacing`),
    not by the sheared step from one slice's centre to the next, 1 / cos(tilt) longer (before
    session 24: a 78 mm stack at 15 degrees passed as 81 mm)."""
    return np.asarray(shape[:3], dtype=float) * np.asarray(stated_spacing(ijk_to_ras))


def smaller_than_a_head(extent) -> bool:
    """True when ``extent`` (:func:`field_of_view_mm`) is under :data:`MIN_HEAD_FOV_MM`."""
    ordered = np.sort(np.asarray(extent, dtype=float))
    return bool(ordered[1] < MIN_HEAD_FOV_MM[0] or ordered[0] < MIN_HEAD_FOV_MM[1])

def not_a_brain(mask: np.ndarray, ijk_to_ras: np.ndarray) -> str:
    """Why brain extraction's ``mask`` is not a head's brain, in words ("" when it may be one):
    its volume outside :data:`BRAIN_ML`, or longer than :data:`BRAIN_LONGEST_MM` along a voxel
    axis. Reads the mask alone (0.03 s for the MNI template's, 197 x 233 x 189)."""
    from ..core.geometry import voxel_volume_ml

    ml = float(np.count_nonzero(mask)) * voxel_volume_ml(ijk_to_ras)
    if not BRAIN_ML[0] <= ml <= BRAIN_ML[1]:
        return (f"its brain extraction found {ml:.0f} mL, and a head's brain holds "
                f"{BRAIN_ML[0]:.0f}-{BRAIN_ML[1]:.0f} mL")
    spacing = np.asarray(stated_spacing(ijk_to_ras))
    across = mask.any(axis=2)   # two passes over the mask for the three axes' spans
    lengths = []
    for axis, filled in enumerate((across.any(axis=1), across.any(axis=0), mask.any(axis=(0, 1)))):
        filled = np.flatnonzero(filled)
        lengths.append((filled[-1] - filled[0] + 1) * spacing[axis] if filled.size else 0.0)
    if max(lengths) > BRAIN_LONGEST_MM:
        return (f"its brain extraction found a region {max(lengths):.0f} mm long, and a brain is at "
                f"most {BRAIN_LONGEST_MM:.0f} mm")
    return ""


def validate_steps(steps: Any, source: str = "") -> list[dict]:
    """The card's ``preprocessing`` list, checked: known step names, options in range."""
    if steps in (None, []):
        return []
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise ModelError("model card preprocessing must be a list of {\"step\": ...} objects",
                         path=source or None)
    out = []
    for item in steps:
        name = item.get("step")
        if name not in KNOWN_STEPS:
            raise ModelError(f"model card asks for preprocessing step {name!r}, which this version of "
                             f"neuroview does not know (known: {', '.join(KNOWN_STEPS)})",
                             path=source or None, hint="update neuroview")
        for option, (low, high) in KNOWN_STEPS[name].items():
            if option in item:
                value = item[option]
                if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
                    raise ModelError(f"model card preprocessing {name}.{option} must be a number in "
                                     f"[{low:g}, {high:g}]", path=source or None)
        out.append(dict(item))
    return out


@dataclass
class Prepared:
    """The model's input images after preprocessing, and what the output must be limited to."""

    images: list[np.ndarray]
    brain: Optional[np.ndarray] = None
    """Brain mask (bool) on the input grid, when the card asked for brain extraction."""
    allowed: Optional[np.ndarray] = None
    """Where the model may report anything (the brain mask dilated by the step's report margin)."""
    notes: list[str] = field(default_factory=list)
    """What was skipped and why, for the user."""
    not_a_head: str = ""
    """Why the extracted brain is not a head's (:func:`not_a_brain`), "" when it may be."""

    def restrict(self, labels: np.ndarray) -> np.ndarray:
        """``labels`` cleared outside :attr:`allowed`, without regions that miss the brain."""
        if self.allowed is None:
            return labels
        from .brain import keep_inside

        return keep_inside(labels, self.allowed, self.brain)

    def restrict_probability(self, probability: np.ndarray) -> np.ndarray:
        if self.allowed is None:
            return probability
        return np.where(self.allowed, probability, 0.0).astype(probability.dtype, copy=False)


CACHED_IMAGES = 4
"""Brain masks are remembered for this many images (two bool masks each: 32 MB for 256^3), the
studies of a follow-up comparison and the image being segmented."""
_mask_cache: "OrderedDict[tuple, tuple[np.ndarray, np.ndarray]]" = OrderedDict()
_cache_lock = threading.Lock()


def _key(image: np.ndarray, ijk_to_ras: np.ndarray) -> tuple:
    """The image's content hash (every voxel, its type and grid): two images that differ in one
    voxel never share a mask (0.1 s for 256^3 float32, against seconds of brain extraction)."""
    data = np.ascontiguousarray(image)
    digest = hashlib.blake2b(memoryview(data).cast("B"), digest_size=20).hexdigest()
    return (data.shape, str(data.dtype), np.asarray(ijk_to_ras, float).round(6).tobytes(), digest)


def cached_brain_mask(image: np.ndarray, ijk_to_ras: np.ndarray, device="cpu",
                      cancel: Optional[CancelToken] = None) -> np.ndarray:
    """:func:`neuroview.ai.brain.brain_mask`, remembered per image (Segment, then uncertainty,
    a second model or a follow-up comparison on the same image extract the brain once)."""
    return cached_brain_masks(image, ijk_to_ras, device, cancel)[0]


def cached_brain_masks(image: np.ndarray, ijk_to_ras: np.ndarray, device="cpu",
                       cancel: Optional[CancelToken] = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`neuroview.ai.brain.brain_masks` (the mask, and the single-run mask that strips the
    model's input), remembered for the last :data:`CACHED_IMAGES` images by content."""
    from .brain import brain_masks

    key = _key(np.asarray(image), ijk_to_ras)
    with _cache_lock:
        if key in _mask_cache:
            _mask_cache.move_to_end(key)
            return _mask_cache[key]
    masks = brain_masks(image, ijk_to_ras, device=device, cancel=cancel)
    with _cache_lock:
        _mask_cache[key] = masks
        while len(_mask_cache) > CACHED_IMAGES:
            _mask_cache.popitem(last=False)
    return masks


def apply_preprocessing(steps: Sequence[dict], images: Sequence[np.ndarray], ijk_to_ras: np.ndarray,
                        device="cpu", cancel: Optional[CancelToken] = None,
                        stop_if_not_a_head: bool = False) -> Prepared:
    """Run the card's steps on ``images`` (all on one grid); with ``stop_if_not_a_head``, return
    as soon as the extracted brain is not a head's (:attr:`Prepared.not_a_head`: refused)."""
    prepared = Prepared(list(images))
    for step in steps:
        check(cancel)
        if step.get("step") == "brain_extraction":
            from .brain import DEFAULT_DILATION_MM, dilate_mm, dilate_mm_margins

            extent = field_of_view_mm(np.shape(prepared.images[0]), ijk_to_ras)
            if smaller_than_a_head(extent):
                prepared.notes.append(
                    "brain extraction skipped: the field of view ("
                    + " x ".join(f"{e:.0f}" for e in extent) + " mm) is smaller than a head")
                continue
            if looks_like_ct(prepared.images[0]):
                prepared.notes.append("brain extraction skipped: the image is a CT (Hounsfield units), "
                                      "and the brain extraction network reads MR only")
                continue

            brain, stripping = cached_brain_masks(prepared.images[0], ijk_to_ras, device, cancel)
            margin = float(step.get("margin_mm", DEFAULT_DILATION_MM))
            report_margin = float(step.get("report_margin_mm", margin))
            prepared.brain = brain
            prepared.not_a_head = not_a_brain(brain, ijk_to_ras)
            if prepared.not_a_head and stop_if_not_a_head:
                return prepared
            if stripping is brain:  # one distance transform for both margins
                seen, prepared.allowed = dilate_mm_margins(brain, ijk_to_ras, (margin, report_margin))
            else:
                seen = dilate_mm(stripping, ijk_to_ras, margin)
                prepared.allowed = dilate_mm(brain, ijk_to_ras, report_margin)
            prepared.images = [np.where(seen, im, 0).astype(np.float32, copy=False)
                               for im in prepared.images]
    return prepared
