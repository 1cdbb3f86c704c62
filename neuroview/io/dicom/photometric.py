"""DICOM MONOCHROME1 and Presentation LUT Shape INVERSE: images whose lowest value is meant to be
shown white (PS3.3 C.7.6.3.1.2, C.11.6), common in CR/DX/MG and in some CT/MR exports.

Their values are loaded as stored and rescaled, as dcm2niix and pydicom give them (a CT's stay
Hounsfield units, a NIfTI written from them equals dcm2niix's): the volume is marked
``display_inverted`` and the views draw it inverted (``render.slices``), and a model sees it
inverted (``ai.preprocess``), as it would see the same image stored as MONOCHROME2.
"""

from __future__ import annotations

from .refs import FrameRef


def shown_inverted(photometric, lut_shape) -> bool:
    """Whether a file's lowest value is meant to be white: PhotometricInterpretation MONOCHROME1,
    or Presentation LUT Shape (2050,0020) INVERSE (PS3.3 C.11.6.1: the minimum output value is the
    maximum luminance). A radiograph that follows the standard names one inversion twice
    (C.8.11.3: INVERSE "shall be used if Photometric Interpretation is MONOCHROME1"): the pair is
    shown inverted once, as pydicom's apply_presentation_lut and highdicom read it, not turned
    back. A MONOCHROME1 file saying IDENTITY (files that break the rule; highdicom would follow
    the LUT shape) is shown as MONOCHROME1 asks, as dcm4chee's option for such CR files does."""
    photometric, lut_shape = (str(value or "").strip().upper() for value in (photometric, lut_shape))
    return photometric == "MONOCHROME1" or lut_shape == "INVERSE"


def monochrome1_of(refs: list[FrameRef]) -> tuple[bool, str]:
    """Whether a series is shown inverted, and a note when its images disagree (some
    MONOCHROME1, some not): then it is shown as most of them ask, and the note says so."""
    inverted = sum(1 for ref in refs if ref.monochrome1)
    if inverted in (0, len(refs)):
        return bool(inverted), ""
    majority = inverted * 2 > len(refs)
    return majority, (f"{inverted} of {len(refs)} images ask to be shown inverted (MONOCHROME1 or "
                      "Presentation LUT Shape INVERSE: lowest value white), the others not: all "
                      f"shown {'inverted' if majority else 'not inverted'}, so some appear with "
                      "inverted grey levels")
