"""One modality per channel: a CT case is not added to an MR channel, nor an MR case to a CT one.

nnU-Net normalises a channel by its name (``CT``: Hounsfield windows fitted over the whole set;
any other name: z-score per image), and a model learns one contrast per channel: a CT among T1
images was added without a word and trained on as a T1. A channel's modality is read from its
name (:func:`channel_kind`): ``CT`` (or a CT word such as ``CTA``) is CT, an MR word (``MRI``,
``T1``, ``FLAIR``, ...) is MR, any other name (``PET``, ``image``) is left unchecked. An image is a
CT by its header's modality (a NIfTI's: its JSON sidecar's) or, with none, by its voxels
(:func:`..core.modality.is_ct`).
"""

from __future__ import annotations

import os
import re
from typing import Optional, Sequence

from ..core.errors import DatasetError
from ..core.volume import Volume
from ..io.nifti_sidecar import sidecar_name

_CT_WORDS = {"CT", "CTA", "CTP", "NCCT", "CECT", "HU"}
_MR_WORDS = {"MR", "MRI", "T1", "T1W", "T1C", "T1CE", "T1GD", "T1C+", "MPRAGE", "T2", "T2W", "T2STAR",
             "T2*", "FLAIR", "PD", "PDW", "DWI", "ADC", "SWI", "DTI", "BOLD", "TOF", "MRA", "GRE"}
MR_CHANNEL = "MRI"
"""The channel name of an MR image whose contrast its fields do not say (a DICOM series whose
Modality is MR and no more, a NIfTI without a sidecar): ``dataset init``'s default. nnU-Net reads
any name but ``CT`` as z-scored; *Send to training set* proposed ``MR`` for a DICOM series and
``MRI`` for a NIfTI, two names for one kind of channel."""
FLAG_HINT = "if it belongs there, add it with --allow-modality-mismatch"


def channel_kind(name: str) -> Optional[str]:
    """``"CT"``, ``"MR"`` or ``None`` (a name that names neither) for a channel name."""
    words = {w for w in re.split(r"[^A-Z0-9+*]+", name.upper()) if w}
    if words & _CT_WORDS:
        return "CT"
    if words & _MR_WORDS:
        return "MR"
    return None


def image_kind(volume: Volume) -> tuple[str, str]:
    """(``"CT"`` or ``"not CT"``, how it was told: its header, the JSON sidecar beside a NIfTI
    (which has no modality field: "its header says MR" sent the user to a header that says
    nothing), or its voxels)."""
    if volume.modality:
        sidecar = sidecar_name(volume.source_path or "")
        said = (f"its JSON sidecar {os.path.basename(sidecar)} says" if sidecar
                else "its header says")
        return ("CT" if volume.modality == "CT" else "not CT"), f"{said} {volume.modality}"
    if volume.voxels_look_like_ct():
        return "CT", "its voxels are in Hounsfield units"
    return "not CT", "its voxels are not in Hounsfield units"


def check_channel_modalities(channels: Sequence[Volume], names: Sequence[str]) -> None:
    """Raise :class:`DatasetError`, naming the file and the channel, for the first image whose
    modality is not its channel's (``add_case(..., allow_modality_mismatch=True)`` skips this)."""
    for number, (volume, name) in enumerate(zip(channels, names)):
        kind = channel_kind(name)
        if kind is None:
            continue
        image, how = image_kind(volume)
        if (kind == "CT") == (image == "CT"):
            continue
        what = "a CT" if image == "CT" else "not a CT"
        raise DatasetError(f"refused: the image is {what} ({how}) but channel {number} of this "
                           f"training set is {name!r}, and a channel holds one modality",
                           path=volume.source_path or None, hint=FLAG_HINT)
