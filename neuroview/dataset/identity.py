"""Which case of a training set holds an image: a content identity of its voxels and its grid.

The same image sent twice must stay one case: two copies could land in the training and the
validation split of one fold and flatter every held-out figure. File names change (a copy, a
re-export), so a case is recognised by what training sees: ``image_id``, a SHA-256 of each
channel's shape and voxel values (as float64, so an int16 image and its float32 copy agree), and
``image_geometry``, its voxel-to-RAS matrix, compared within 1e-3 mm at the grid's corners (a
float32 NIfTI header and the float64 matrix it came from agree). Both are recorded in the case's
provenance (``store.add_case``). They name no patient: whoever could match them already holds the
image, which is in ``imagesTr``.

Cases added before neuroview recorded them get them from their ``imagesTr`` files the first time
a case is added or looked up (:func:`record_missing_identities`), so an image sent before the
upgrade is recognised too.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..core.atomic import write_text_atomic
from ..core.geometry import same_grid
from ..core.jsonfile import read_json
from ..core.volume import Volume
from .provenance import CaseRecord

_SLAB_BYTES = 16 << 20  # voxels are hashed a slab at a time: no float64 copy of a whole CT
log = logging.getLogger(__name__)


def image_identity(arrays: Sequence[np.ndarray]) -> str:
    """``"sha256:..."`` of the channels' shapes and voxel values, in channel order."""
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(json.dumps(list(array.shape)).encode())
        rows = max(1, _SLAB_BYTES // max(1, 8 * int(np.prod(array.shape[1:]))))
        for start in range(0, array.shape[0], rows):
            digest.update(np.ascontiguousarray(array[start:start + rows], dtype=np.float64).tobytes())
    return "sha256:" + digest.hexdigest()


def geometry_of(channel: Volume) -> list[list[float]]:
    """The voxel-to-RAS matrix as provenance records it."""
    return [[round(float(v), 6) for v in row] for row in np.asarray(channel.ijk_to_ras)]


def _matches(data: dict, image_id: str, shape, ijk_to_ras) -> bool:
    geometry = data.get("image_geometry")
    if data.get("image_id") != image_id or geometry is None:
        return False
    try:
        return same_grid(shape, np.asarray(geometry, dtype=float), shape, ijk_to_ras)
    except (ValueError, TypeError):
        return False


def case_with_image(folder: Path, channels: Sequence[Volume],
                    image_id: Optional[str] = None) -> Optional[CaseRecord]:
    """The provenance record of the case of ``folder`` holding this image, or ``None``."""
    image_id = image_id or image_identity([c.array for c in channels])
    return case_with_identity(folder, image_id, channels[0].shape, channels[0].ijk_to_ras)


def case_with_identity(folder: Path, image_id: str, shape, ijk_to_ras) -> Optional[CaseRecord]:
    """The provenance record of the case of ``folder`` whose image has ``image_id`` on the grid
    ``shape`` / ``ijk_to_ras`` (its first channel's), or ``None``."""
    for path in sorted((folder / "provenance").glob("nv_*.json")):
        try:
            data = read_json(path)
        except (OSError, ValueError):
            continue  # an unreadable record is reported by list_cases, not here
        if isinstance(data, dict) and data.get("case") == path.stem and _matches(data, image_id, shape,
                                                                                 ijk_to_ras):
            return CaseRecord.from_dict(data)
    return None


def record_missing_identities(folder: Path, channel_count: int, file_ending: str) -> int:
    """Give the cases without ``image_id`` (added by an older neuroview) theirs, read from their
    ``imagesTr`` files; returns how many. Each record is rewritten atomically with only these two
    keys added; a file that cannot be read or written is left as it is."""
    import nibabel as nib
    from nibabel.filebasedimages import ImageFileError

    done = 0
    for path in sorted((folder / "provenance").glob("nv_*.json")):
        try:
            data = read_json(path)
            if not isinstance(data, dict) or data.get("image_id"):
                continue
            images = [nib.load(folder / "imagesTr" / f"{path.stem}_{i:04d}{file_ending}")
                      for i in range(channel_count)]
            data["image_id"] = image_identity([np.asarray(image.dataobj) for image in images])
            data["image_geometry"] = [[round(float(v), 6) for v in row] for row in images[0].affine]
            write_text_atomic(path, json.dumps(data, indent=2) + "\n")
            done += 1
        except (OSError, ValueError, EOFError, zlib.error, ImageFileError) as exc:
            log.warning("%s: cannot record its image identity (%s)", path.stem, exc)
    return done
