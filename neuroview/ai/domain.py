"""Whether an image is what a model's card says the model was made for: a whole head.

nibabel's ``anatomical.nii`` (a 66 x 82 x 50 mm crop inside the brain: no skull, no air) is over
half the bundled model's 64 mm patch, so it runs (``infer.require_field_of_view``), and the model
marked a 0.4 mL "lesion" in its midline; the only word was "brain extraction skipped". A head
model's result on such an image now carries one note (not a refusal) saying why it means little,
as a CT's does (``segment.segment``, the Segment dialog). A series whose header names a body
part the card's ``domain`` does not (a knee for a head model), or a CT whose slices are a chest's
or an abdomen's, or a CT for a card whose ``modalities`` say MR, is refused before the model
runs (:func:`out_of_domain`): the bundled model marked 1944 voxels and a "brain" of 554 mL on a
knee MR tagged KNEE, with no word. An untagged one is refused once its brain extraction has
found no head's brain (:func:`not_a_head_line`). The person may run it anyway (the refusal is then
the result's provenance, :func:`overridden`). Qt- and torch-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..core.body_part import HEAD_PARTS, a_part, body_part, covers_a_body, is_head_part, part_words
from ..core.errors import OutsideDomainError
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
    """The card names a CT input channel or modality: its result on a CT means what it says."""
    return any(str(name).upper() == "CT" for name in
               [*card.input_channels, *card.domain.get("modalities", [])])


def body_parts(card) -> tuple[str, ...]:
    """The BodyPartExamined words ``card`` was made for: its ``domain.body_parts``, else a head's
    for a card that extracts the brain or says head (:func:`made_for_head`), else none (any)."""
    declared = card.domain.get("body_parts")
    if declared is not None:
        return tuple(declared)
    return HEAD_PARTS if made_for_head(card) else ()


def _made_for(card, parts: tuple[str, ...]) -> str:
    """"head MR", "knee": the card's body part and modalities in words."""
    part = "head" if any(is_head_part(p) for p in parts) else " or ".join(part_words(p) for p in parts)
    return f"{part} {'/'.join(card.domain.get('modalities', []))}".strip()


def out_of_domain(card, volume, is_ct: bool) -> str:
    """One line refusing ``card``'s run on ``volume`` ("" when it may run): its header's
    BodyPartExamined names none of the card's body parts (a head's parts go together: HEADNECK,
    BRAIN, SKULL...), or, with none said, a head model is given a CT whose slices are a chest's
    or an abdomen's (:func:`neuroview.core.body_part.covers_a_body`), or the card's
    ``modalities`` leave out the image's, a CT or an MR (an MR model on a head CT ran with a
    note that its result means little; it marked nothing or scattered voxels)."""
    parts = body_parts(card)
    heads = any(is_head_part(p) for p in parts)
    said = body_part(volume)
    modality = str(getattr(volume, "modality", "") or ("CT" if is_ct else "")).upper()
    if said and parts and not (any(p in said for p in parts) or (heads and is_head_part(said))):
        return (f"{card.ref} is made for {_made_for(card, parts)}; this series is "
                f"{a_part(said)} {modality or 'series'} "
                f"(BodyPartExamined {said}): not run on it")
    if heads and not said and is_ct and covers_a_body(volume):
        return (f"{card.ref} is made for {_made_for(card, parts)}; this CT's slices are a "
                "chest's or an abdomen's (no BodyPartExamined): not run on it")
    kind = "CT" if is_ct else ("MR" if modality == "MR" else "")
    declared = [str(m).upper() for m in card.domain.get("modalities", [])]
    if kind and declared and kind not in declared:
        return (f"{card.ref} is made for {_made_for(card, parts)}; this image is "
                f"{'a CT' if is_ct else 'an MR'} (the model was trained on {' and '.join(declared)} "
                "only): not run on it")
    return ""


def not_a_head_line(card, reason: str) -> str:
    """The refusal of a head model's run on an image whose extracted brain is not a head's
    (``preprocess.not_a_brain``'s ``reason``): an untagged knee MR got a 444 mL "brain"."""
    return (f"{card.ref} is made for {_made_for(card, body_parts(card) or HEAD_PARTS)}; this image "
            f"does not look like a head ({reason}): not run on it")


RUN_ANYWAY = "run anyway on an image it refuses: its result means little"
"""The note of a run the person asked for on an image the card refuses: one short line for the
notice (the model's name, its domain and the image's body part followed in two sentences of 40
words); the refusal itself is the result's ``outside_domain``, the notice's tooltip and the CLI's
note."""


def notes_in_full(notes, outside_domain: str) -> list[str]:
    """A result's ``notes`` with :data:`RUN_ANYWAY` in full, naming the refusal overridden
    (``outside_domain``), for a command's output or a report read later."""
    full = f"run anyway: {outside_domain}; its result means little"
    return [full if note == RUN_ANYWAY and outside_domain else note for note in notes]


def overridden(line: str) -> str:
    """A refusal's line as the provenance of a run the person asked for anyway."""
    return line.removesuffix(OutsideDomainError.NOT_RUN)


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


def domain_line(card) -> str:
    """What ``models show`` and the Models dialog say of the card's domain ("" for any image):
    ``for head MR (BodyPartExamined HEAD, BRAIN): a series of another body part is refused``."""
    parts = body_parts(card)
    if not parts:
        return ""
    declared = card.domain.get("body_parts")
    why = ("BodyPartExamined " + ", ".join(declared) if declared is not None
           else "by its brain extraction; its card declares no domain")
    return f"for {_made_for(card, parts)} ({why}): a series of another body part is refused"
