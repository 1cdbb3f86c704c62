"""What part of the body an image shows: its header's DICOM BodyPartExamined, else (a CT) what
its axial slices cover. The CT's opening window (``app.ct_opening``) and a model's domain
(``ai.domain``: a head model refuses a knee) read it the same way.

The image decides when the header does not, by most of its axial slices (a head-and-neck study
reaching the shoulders is a head): a body's cross-section is larger than a head's (an adult head
is at most ~250 cm2 across, a chest or abdomen 450-700 cm2) and a chest holds lung
(-950..-600 HU), which a head has only in its sinuses.
"""

from __future__ import annotations

import numpy as np

HEAD_PARTS = ("HEAD", "BRAIN", "SKULL", "ORBIT", "SELLA", "IAC", "FACE", "SINUS")
"""BodyPartExamined values (DICOM CID 4031 and what scanners write) that mean a head."""
NOT_SAID = ("", "UNKNOWN", "OTHER", "NONE")
BODY_AREA_CM2 = 330.0
"""A cross-section (tissue and lung, above -900 HU) larger than this is a body, not a head."""
LUNG_HU = (-950.0, -600.0)
LUNG_FRACTION = 0.12
"""A chest's slice: this fraction of what in it is not outside air (above -950 HU) at lung values."""
_SAMPLE_VOXELS = 2_000_000


def body_part(volume) -> str:
    """The header's BodyPartExamined, upper case, "" when it says none (or "UNKNOWN")."""
    meta = getattr(volume, "source_metadata", None) or {}
    value = str(meta.get("BodyPartExamined") or "").strip().upper()
    return "" if value in NOT_SAID else value


PART_WORDS = {"LSPINE": "lumbar spine", "TSPINE": "thoracic spine", "CSPINE": "cervical spine",
              "WHOLESPINE": "spine", "HEADNECK": "head and neck", "CHESTABDOMEN": "chest and abdomen",
              "ABDOMENPELVIS": "abdomen and pelvis", "CHESTABDPELVIS": "chest, abdomen and pelvis",
              "TMJ": "jaw joint", "WHOLEBODY": "whole body"}
"""DICOM CID 4031 codes written as one word, in words."""


def part_words(part: str) -> str:
    """A BodyPartExamined value in words: "KNEE" -> "knee", "LSPINE" -> "lumbar spine"."""
    return PART_WORDS.get(part, part.replace("_", " ").lower())


def a_part(part: str) -> str:
    """A BodyPartExamined value in words with its article: "a knee", "an abdomen"."""
    words = part_words(part)
    return f"{'an' if words[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {words}"


def is_head_part(part: str) -> bool:
    """Whether a BodyPartExamined value (upper case) names a head (HEADNECK, BRAIN...)."""
    return any(word in part for word in HEAD_PARTS)


def _through_plane_axis(ijk_to_ras: np.ndarray) -> int:
    """The array axis closest to superior-inferior (the axial slices' normal)."""
    columns = np.asarray(ijk_to_ras, dtype=float)[:3, :3]
    return int(np.argmax(np.abs(columns[2]) / np.linalg.norm(columns, axis=0)))


def lung_voxels(slices: np.ndarray) -> np.ndarray:
    """The voxels of ``slices`` (axial slices stacked on the first axis) at lung values
    (:data:`LUNG_HU`) that are not outside air's: those of a region below -600 HU, in its own
    slice, that touches the slice's edge and is mostly air (below -950 HU). Outside a head, air
    reads -970..-900 where the scanner's noise and the edge of the skin lift it, and a headrest's
    foam -900..-700: pydicom-data's head CT (693_UNCR.dcm) had 18 % of its slice at lung values,
    all of it there, and opened as a chest. A lung is walled in by the chest, or, on a small field
    of view that cuts it (pydicom's CT_small.dcm), mostly at lung values."""
    from scipy import ndimage

    low = slices < LUNG_HU[1]
    regions, _count = ndimage.label(low, structure=np.array([np.zeros((3, 3)), np.ones((3, 3)),
                                                             np.zeros((3, 3))], dtype=bool))
    edges = np.zeros(low.shape, dtype=bool)
    edges[:, [0, -1], :] = edges[:, :, [0, -1]] = True
    size = np.bincount(regions.ravel())
    air = np.bincount(regions.ravel(), weights=(slices <= LUNG_HU[0]).ravel())
    touching = np.zeros(len(size), dtype=bool)
    touching[regions[edges & low]] = True
    outside = touching & (air > 0.5 * size)
    return ~outside[regions] & (slices > LUNG_HU[0]) & low


def covers_a_body(volume) -> bool:
    """Whether the image is a chest or abdomen rather than a head, by most of its axial slices
    (of those holding tissue): a slice is a body's when its cross-section (tissue and lung)
    exceeds :data:`BODY_AREA_CM2` or lung makes :data:`LUNG_FRACTION` of what in it is not
    outside air. A head-and-neck study whose lowest slices hold the shoulders and lung apices is
    a head: it went by the 75th percentile of the slices' areas and the whole image's lung, so a
    third of its slices through the shoulders opened it at 400/40. Lung is counted by
    :func:`lung_voxels`."""
    image = volume.frame(0)
    axis = _through_plane_axis(volume.ijk_to_ras)
    step = max(1, int(np.ceil(np.sqrt(image.size / _SAMPLE_VOXELS))))
    picks = [slice(None, None, step)] * 3
    picks[axis] = slice(None)          # every slice, each one subsampled in its own plane
    sample = np.moveaxis(np.asarray(image[tuple(picks)], dtype=np.float32), axis, 0)
    spacing = [s for i, s in enumerate(volume.spacing) if i != axis]
    voxel_cm2 = spacing[0] * spacing[1] * step * step / 100.0
    flat = sample.reshape(sample.shape[0], -1)
    areas = np.count_nonzero(flat > -900.0, axis=1) * voxel_cm2
    inside = np.count_nonzero(flat > LUNG_HU[0], axis=1)
    lung = np.count_nonzero((flat > LUNG_HU[0]) & (flat < LUNG_HU[1]), axis=1)
    # only the slices their lung would make a body's are looked at again (a chest's by its area)
    asked = (areas <= BODY_AREA_CM2) & (lung > LUNG_FRACTION * inside)
    if asked.any():
        lung[asked] = np.count_nonzero(lung_voxels(sample[asked]).reshape(-1, flat.shape[1]), axis=1)
    body = (areas > BODY_AREA_CM2) | (lung > LUNG_FRACTION * inside)
    held = inside > 0
    return bool(held.any() and np.count_nonzero(body & held) > 0.5 * np.count_nonzero(held))
