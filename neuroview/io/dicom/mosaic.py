"""Mosaics: one file holds a whole volume as tiles of one image (Siemens MOSAIC, UIH grids).

nibabel's ``nicom.dicomwrappers.MosaicWrapper`` reads the Siemens CSA header, unpacks the tiles,
applies the rescale and gives the volume's affine in DICOM LPS space; we reuse it rather than
parse the private CSA header by hand. Several files of one series are the time points of a 4D
volume (in acquisition order). UIH (United Imaging) grids carry no usable ImagePositionPatient:
their slice count and positions are in private tags (see :func:`.vendor_fields.uih_grid_slices`).
"""

from __future__ import annotations

import math
import warnings
from typing import Optional

import numpy as np

from ...core.errors import Cancelled, DicomError
from ...core.geometry import LPS_TO_RAS
from ...core.jobs import CancelToken, ProgressFn, report
from .decode import decode_frame
from .plane_values import orientation_problem, positions_usable
from .refs import FrameRef
from .series import StackPlan, without_copies
from .vendor_fields import UIH_GRID_FRAMES, uih_grid_slices


def _wrapper(ref: FrameRef):
    """nibabel's mosaic wrapper, asked for by name: its own test (``wrapper_from_data``) also
    wants AcquisitionMatrixText in the CSA header, which anonymisers strip and dcm2niix does
    not need; without it the mosaic was taken for one big slice and failed to load."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nibabel calls its DICOM readers experimental
        from nibabel.nicom import dicomwrappers

        return dicomwrappers.MosaicWrapper(ref.dataset)


def unpack(pixels: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """Tiles of a mosaic ``[row, column]`` image -> ``[row, column, slice]``.

    Written here rather than calling nibabel's ``get_data``, which fails when the mosaic image is
    not an exact multiple of the tile size (the remainder rows/columns are padding; dcm2niix
    drops them the same way).
    """
    rows, cols, n = shape
    tiles = int(np.ceil(np.sqrt(n)))
    tile_rows = pixels.shape[0] // rows  # UIH grids hold only the rows of tiles they need
    blocks = pixels[: tile_rows * rows, : tiles * cols].reshape(tile_rows, rows, tiles, cols)
    return blocks.transpose(1, 3, 0, 2).reshape(rows, cols, tile_rows * tiles)[..., :n]


def _uih_plan(key: str, refs: list[FrameRef]) -> StackPlan:
    """A UIH grid: tiles ``ceil(sqrt(n))`` per row, slice positions from (0065,1051)."""
    first = refs[0]
    n = uih_grid_slices(first.dataset)
    per_row = math.ceil(math.sqrt(n))
    tile_cols, tile_rows = first.cols // per_row, first.rows // math.ceil(n / per_row)
    items = first.dataset[UIH_GRID_FRAMES].value
    try:
        positions = np.array([[float(x) for x in item.ImagePositionPatient] for item in items])
        orientation = first.orientation or tuple(float(x) for x in
                                                 items[0].ImageOrientationPatient)
    except (AttributeError, TypeError, ValueError) as exc:
        raise DicomError(f"UIH grid mosaic without slice positions ({type(exc).__name__})",
                         path=first.path) from None
    if tile_cols < 1 or tile_rows < 1 or len(positions) < n:
        raise DicomError(f"UIH grid mosaic of {n} slices does not fit its {first.rows}x"
                         f"{first.cols} image or its {len(positions)} positions", path=first.path)
    row_dir, col_dir = np.array(orientation[:3]), np.array(orientation[3:])
    row_spacing, col_spacing = first.pixel_spacing
    affine_lps = np.eye(4)
    affine_lps[:3, 0], affine_lps[:3, 1] = row_dir * col_spacing, col_dir * row_spacing
    affine_lps[:3, 2] = (positions[n - 1] - positions[0]) / (n - 1)
    affine_lps[:3, 3] = positions[0]
    _check_placed(affine_lps, first, "UIH grid mosaic")
    return StackPlan(key=key, frames=[refs], ijk_to_ras=LPS_TO_RAS @ affine_lps,
                     description=first.description, modality=first.modality,
                     series_number=first.series_number,
                     mosaic_shape=(tile_cols, tile_rows, n), uih_grid=True)


def _check_placed(affine_lps: np.ndarray, first: FrameRef, what: str) -> None:
    """A mosaic's voxel grid holds only finite values within 1e6 mm, else one line naming the
    file: a NaN or 1e300 ImagePositionPatient was written into the NIfTI as it was."""
    if not positions_usable(affine_lps[:3, :].T.tolist()):
        raise DicomError(f"{what} cannot be placed: its ImagePositionPatient or geometry is not "
                         "finite or beyond 1e+06 mm (damaged)", path=first.path)


TILES_WARNING = ("Siemens mosaic without its CSA image header (0029,1010), stripped by an "
                 "anonymiser?: its slices cannot be cut from the tiles and are shown as the one "
                 "tiled image, as dcm2niix writes it")


def say_tiles(plan, refs: list[FrameRef]) -> None:
    """Say first among ``plan``'s warnings that its images are mosaics read as their tiles (it
    opened as one slice of a grid under 'one image' alone), when every one of them is."""
    if refs and all(ref.tiles for ref in refs):
        plan.warnings.insert(0, TILES_WARNING)


NO_SLICE_COUNT = ("Siemens mosaic names no slice count: its CSA image header (0029,1010) holds no "
                  "NumberOfImagesInMosaic (stripped by an anonymiser?), so its tiles cannot be "
                  "told from empty ones (dcm2niix cannot convert it either)")


def _unpack_problem(ref: FrameRef, exc: Exception) -> str:
    """Why nibabel could not unpack ``ref``'s mosaic: the missing slice count said as such (its
    own line was 'No valid mosaic number in CSA header; is this really Siemens mosiac data?'),
    else nibabel's words."""
    from nibabel.nicom import csareader

    try:
        header = csareader.get_csa_header(ref.dataset, "image")
        count = None if header is None else csareader.get_n_mosaic(header)
    except Exception:  # noqa: BLE001 - a header nibabel cannot read: its own words below
        header = None
    if header is not None and count is None:
        return NO_SLICE_COUNT
    return f"Siemens mosaic cannot be unpacked ({type(exc).__name__}: {exc})"


def plan_mosaic(key: str, refs: list[FrameRef]) -> StackPlan:
    refs, copies = without_copies(refs)  # a volume's file copied twice: one time point
    refs = sorted(refs, key=lambda r: (r.order, r.path))
    if uih_grid_slices(refs[0].dataset):
        plan = _uih_plan(key, refs)
        plan.warnings.extend(filter(None, [copies]))
        return plan
    problem = orientation_problem(refs[0].orientation) if refs[0].orientation else ""
    if problem:  # nibabel's CSA reader failed on an AssertionError naming nothing
        raise DicomError(f"Siemens mosaic cannot be placed: ImageOrientationPatient is not usable "
                         f"({problem})", path=refs[0].path)
    try:
        wrapper = _wrapper(refs[0])
        shape = tuple(int(n) for n in wrapper.image_shape[:3])
        affine_lps = np.asarray(wrapper.affine, dtype=float)
    except Exception as exc:  # nibabel raises many types on odd CSA headers
        raise DicomError(_unpack_problem(refs[0], exc), path=refs[0].path) from None
    first = refs[0]
    _check_placed(affine_lps, first, "Siemens mosaic")
    plan = StackPlan(key=key, frames=[refs], ijk_to_ras=LPS_TO_RAS @ affine_lps,
                     description=first.description, modality=first.modality,
                     series_number=first.series_number, mosaic_shape=shape)
    if copies:
        plan.warnings.append(copies)
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
        if plan.uih_grid:  # [column, row, slice] like every other stack
            cols, rows, n = plan.mosaic_shape
            data = unpack(decode_frame(ref), (rows, cols, n)).transpose(1, 0, 2)
        else:
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
