"""What the window says of a NIfTI/MGH file or a 4D DICOM series once it has read its voxels, for
``neuroview info``:
the unit its values are shown in (the pointer's readout, the statistics: ``values in HU``) and
the warnings the loader adds to the header's (an ADC map's unit guessed from its values, a
vector field's components, a time axis the header does not state). ``info`` said neither: a
CT NIfTI read as if it had no unit, and a warning the window showed was not in the listing."""

from __future__ import annotations

import math

from ..app.view_presets import shown_unit
from ..core.errors import NeuroviewError
from ..io.modality_guess import READ_AT_MOST

VOLUME_FORMATS = ("NIfTI", "MGH", "NIfTI pair", "Analyze 7.5")


def loaded_lines(candidate, said: list[str]) -> list[str]:
    """``values in HU`` (none where the window names no unit) and ``warning: ...`` for each of
    the loaded volume's warnings not in ``said`` (the lines printed already); nothing for a 3D
    DICOM series (a study's dozens would each be read), another format, or an image over
    :data:`READ_AT_MOST` of voxels (not read). A 4D DICOM series (a perfusion, DCE or fMRI run)
    is read as a NIfTI is: ``info`` named no unit for it until session 52, where it did for the
    same run converted to NIfTI."""
    itemsize = 4   # float32, as read (a scaled int16 too)
    four_d_dicom = candidate.source_format == "DICOM" and len(candidate.shape) > 3 \
        and candidate.shape[3] > 1
    if (candidate.source_format not in VOLUME_FORMATS and not four_d_dicom) \
            or math.prod(candidate.shape) * itemsize > READ_AT_MOST:
        return []
    try:
        volume = candidate.load()
    except (NeuroviewError, OSError, ValueError, MemoryError):
        return []   # the window's error is info's too: the header's checks said it already
    unit = shown_unit(volume)
    lines = [f"values in {unit}"] if unit else []
    return lines + [f"warning: {w}" for w in volume.warnings
                    if w not in candidate.warnings and not any(w in line for line in said)]
