"""Siemens MOSAIC images (EPI, DTI, fMRI): one file holds a whole volume as tiles of one image.

nibabel's ``nicom.dicomwrappers.MosaicWrapper`` reads the Siemens CSA header, unpacks the tiles,
applies the rescale and gives the volume's affine in DICOM LPS space; we reuse it rather than
parse the private CSA header by hand. Several files of one series are the time points of a 4D
volume (in acquisition order).
"""

from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

from ...core.errors import Cancelled, DicomError
from ...core.geometry import LPS_TO_RAS
from ...core.jobs import CancelToken, ProgressFn, report
from .decode import decode_frame
from .scan import FrameRef
from .series import StackPlan


def _wrapper(ref: FrameRef):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nibabel calls its DICOM readers experimental
        from nibabel.nicom import dicomwrappers

        return dicomwrappers.wrapper_from_data(ref.dataset)


def unpack(pixels: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """Tiles of a mosaic ``[row, column]`` image -> ``[row, column, slice]``.

    Written here rather than calling nibabel's ``get_data``, which fails when the mosaic image is
    not an exact multiple of the tile size (the remainder rows/columns are padding; dcm2niix
    drops them the same way).
    """
    rows, cols, n = shape
    tiles = int(np.ceil(np.sqrt(n)))
    blocks = pixels[: tiles * rows, : tiles * cols].reshape(tiles, rows, tiles, cols)
    return blocks.transpose(1, 3, 0, 2).reshape(rows, cols, tiles * tiles)[..., :n]


def plan_mosaic(key: str, refs: list[FrameRef]) -> StackPlan:
    refs = sorted(refs, key=lambda r: (r.order, r.path))
    try:
        wrapper = _wrapper(refs[0])
        shape = tuple(int(n) for n in wrapper.image_shape[:3])
        affine_lps = np.asarray(wrapper.affine, dtype=float)
    except Exception as exc:  # nibabel raises many types on odd CSA headers
        raise DicomError(f"Siemens mosaic cannot be unpacked ({type(exc).__name__}: {exc})",
                         path=refs[0].path) from None
    first = refs[0]
    plan = StackPlan(key=key, frames=[refs], ijk_to_ras=LPS_TO_RAS @ affine_lps,
                     description=first.description, modality=first.modality,
                     series_number=first.series_number, mosaic_shape=shape)
    positions = {tuple(np.round(r.position, 2)) for r in refs if r.position is not None}
    if len(positions) > 1:
        plan.warnings.append(f"mosaic time points start at {len(positions)} different positions "
                             "(the first one's geometry is used)")
        plan.confidence = 0.8
    return plan


def load_mosaic(plan: StackPlan, progress: Optional[ProgressFn] = None,
                cancel: Optional[CancelToken] = None) -> np.ndarray:
    refs = plan.frames[0]
    rescales = {(ref.slope, ref.intercept) for ref in refs}
    out = None
    for t, ref in enumerate(refs):
        if cancel is not None and cancel.cancelled:
            raise Cancelled()
        data = unpack(decode_frame(ref), plan.mosaic_shape)
        if rescales != {(1.0, 0.0)}:
            data = data.astype(np.float32) * np.float32(ref.slope) + np.float32(ref.intercept)
        if out is None:
            out = np.empty(plan.shape, dtype=data.dtype)
        if out.ndim == 4:
            out[..., t] = data
        else:
            out[...] = data
        report(progress, t + 1, len(refs), "unpacking mosaic")
    return out
