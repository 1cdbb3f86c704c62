"""The window a CT opens with when its header names none, chosen as a radiologist's viewer
chooses it: by the part of the body examined (DICOM BodyPartExamined), else by what the image
covers. A head opens at the brain window (80/40); a chest, an abdomen or any other body part at
the soft-tissue window 400/40 (the *Soft tissue* preset, as OHIF names it; mediastinum and
abdomen are read at it).
Every CT opened at brain 80/40 before, where a chest's lungs, fat and muscle were all black or
white.

What the header or the image says of the part of the body is read by :mod:`neuroview.core.body_part`.
"""

from __future__ import annotations

import numpy as np

from ..core.body_part import body_part, covers_a_body, is_head_part

BRAIN, BODY = "Brain", "Soft tissue"
_SAMPLE_VOXELS = 2_000_000
BONE_3D_HU = 300.0
"""Voxels from here are drawn by the 3D view's "CT bone" preset (transparent up to 150 HU,
ivory at 641): an image with none of them was an empty 3D view at that preset."""
BONE_3D_FRACTION = 0.001


def holds_bone(volume) -> bool:
    """Whether at least :data:`BONE_3D_FRACTION` of the image's voxels (a strided sample of its
    first time point) reach :data:`BONE_3D_HU`: a skull or a spine does, a CT with no bone in
    it (GE's 16x16 thumbnails in pydicom's test files, at most 85 HU) does not."""
    image = np.asarray(volume.frame(0))
    step = max(1, int(np.ceil((image.size / _SAMPLE_VOXELS) ** (1 / 3))))
    sample = image[::step, ::step, ::step]
    return np.count_nonzero(sample >= BONE_3D_HU) >= max(1.0, BONE_3D_FRACTION * sample.size)


def opening_ct_preset(volume) -> str:
    """``"Brain"`` for a head, ``"Soft tissue"`` (400/40) for a chest, an abdomen or another body
    part: by BodyPartExamined, else by the image (:func:`~neuroview.core.body_part.covers_a_body`)."""
    part = body_part(volume)
    if part:
        return BRAIN if is_head_part(part) else BODY
    return BODY if covers_a_body(volume) else BRAIN
