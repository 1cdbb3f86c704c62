"""DICOM MONOCHROME1: images whose lowest value is meant to be shown white (PS3.3 C.7.6.3.1.2),
common in CR/DX and in some CT/MR exports.

Their values are loaded as stored and rescaled, as dcm2niix and pydicom give them (a CT's stay
Hounsfield units, a NIfTI written from them equals dcm2niix's): the volume is marked
``display_inverted`` and the views draw it inverted (``render.slices``), and a model sees it
inverted (``ai.preprocess``), as it would see the same image stored as MONOCHROME2.
"""

from __future__ import annotations

from .refs import FrameRef


def monochrome1_of(refs: list[FrameRef]) -> tuple[bool, str]:
    """Whether a series is shown inverted, and a note when its images disagree (some
    MONOCHROME1, some not): then it is shown as most of them ask, and the note says so."""
    inverted = sum(1 for ref in refs if ref.monochrome1)
    if inverted in (0, len(refs)):
        return bool(inverted), ""
    majority = inverted * 2 > len(refs)
    return majority, (f"{inverted} of {len(refs)} images are MONOCHROME1 (lowest value white), "
                      f"the others MONOCHROME2: all shown as {'MONOCHROME1' if majority else 'MONOCHROME2'}"
                      ", so some appear with inverted grey levels")
