"""A model's *brain* segment in a DICOM SEG (``seg.save_seg`` / ``seg.load_seg``).

The brain a model's brain extraction adds is context under the lesions (``core.extent``): in the
label map a lesion inside it takes its voxels from it. A DICOM SEG's segments may overlap, so the
brain goes to PACS whole, as 3D Slicer exports its overlapping segments: its own segment, coded
as the anatomical structure it is (category SCT 91723000 "Anatomical Structure", type SCT
12738006 "Brain", not a lesion or "Tissue"), holding the whole mask the model produced, the
lesions inside it included. Read back, the brain lies under the other segments again and keeps
that whole mask as its extent. A brain without an extent (a label map loaded from a file, which
does not keep one) goes out with the same codes and its own voxels.
"""

from __future__ import annotations

import numpy as np

from ..core.extent import is_context
from ..core.labels import Segment

LESION_WORDS = ("lesion", "tumor", "tumour", "metasta", "nodule", "mass", "plaque", "infarct")

BRAIN_CODE = ("12738006", "SCT")
"""SNOMED CT "Brain": the SegmentedPropertyType of the brain segment."""


def codes_for(segment: Segment):
    """SegmentedPropertyCategory and SegmentedPropertyType codes of ``segment``."""
    from pydicom.sr.codedict import codes

    if is_context(segment):
        return codes.SCT.AnatomicalStructure, codes.SCT.Brain
    if any(word in segment.name.lower() for word in LESION_WORDS):
        return codes.SCT.MorphologicallyAbnormalStructure, codes.SCT.Lesion
    return codes.SCT.Tissue, codes.SCT.Tissue


def is_brain_description(desc) -> bool:
    """A SEG segment coded as the brain (what :func:`codes_for` writes)."""
    try:
        code = desc.SegmentedPropertyTypeCodeSequence[0]
    except (AttributeError, IndexError, KeyError):
        return False
    return (str(code.get("CodeValue", "")), str(code.get("CodingSchemeDesignator", ""))) == BRAIN_CODE


def combined(masks: dict[int, np.ndarray], context: set[int]) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """One label array of the SEG's per-segment ``masks`` (segment number -> bool array): the
    ``context`` segments first, every other over them; and the context segments' whole masks."""
    shape = next(iter(masks.values())).shape
    dtype = np.uint8 if max(masks) < 256 else np.uint16
    array = np.zeros(shape, dtype)
    for number in sorted(masks, key=lambda n: (n not in context, n)):
        array[masks[number]] = number
    return array, {n: masks[n] for n in context if n in masks}
