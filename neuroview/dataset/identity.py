"""Which case of a training set holds an image: a content identity of its voxels and geometry.

The same image sent twice must stay one case: two copies could land in the training and the
validation split of one fold and flatter every held-out figure. File names change (a copy, a
re-export, a DICOM folder and its NIfTI), so the identity is a SHA-256 of what training sees: per
channel the shape, the voxel-to-RAS matrix (rounded to 1e-4 mm, so a float32 NIfTI header and the
float64 it came from agree) and the voxel values (as float64, so an int16 image and its float32
copy agree). It is recorded as ``image_id`` in the case's provenance (``store.add_case``). It
names no patient: whoever could match it already holds the image, which is in ``imagesTr``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..core.volume import Volume
from .provenance import CaseRecord

_SLAB_BYTES = 16 << 20  # voxels are hashed a slab at a time: no float64 copy of a whole CT


def image_identity(channels: Sequence[Volume]) -> str:
    """``"sha256:..."`` of the channels' shapes, geometry and voxel values, in channel order."""
    digest = hashlib.sha256()
    for channel in channels:
        array = channel.array
        digest.update(json.dumps(list(array.shape)).encode())
        geometry = np.round(np.asarray(channel.ijk_to_ras, dtype=np.float64), 4) + 0.0  # no -0.0
        digest.update(geometry.tobytes())
        rows = max(1, _SLAB_BYTES // max(1, 8 * int(np.prod(array.shape[1:]))))
        for start in range(0, array.shape[0], rows):
            digest.update(np.ascontiguousarray(array[start:start + rows], dtype=np.float64).tobytes())
    return "sha256:" + digest.hexdigest()


def case_with_image(folder: Path, image_id: str) -> Optional[CaseRecord]:
    """The provenance record of the case of ``folder`` whose image is ``image_id`` (cases added
    before neuroview recorded the identity have none and are not found)."""
    for path in sorted((folder / "provenance").glob("nv_*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # an unreadable record is reported by list_cases, not here
        if isinstance(data, dict) and data.get("image_id") == image_id and data.get("case") == path.stem:
            return CaseRecord.from_dict(data)
    return None
