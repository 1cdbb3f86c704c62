"""A CT's padding outside its field of view, found in a file that does not name it (a NIfTI, a
NRRD).

A CT scanner reconstructs a circle; the corners of the square image around it hold a padding
number, which a DICOM series names (PixelPaddingValue, read as air in ``io.dicom.padding``) and
a NIfTI or NRRD does not: dcm2niix writes it as measured, -3024 HU (GE's -2000 stored) or -2048
/ -2000 from other vendors, and a NRRD converted from a series holds whatever number it was
given. Left as it is, the lung window (1500/-600) draws it black around air drawn dark grey: a
ring around the field of view. Here it is found by its shape (the image's minimum,
far below air, on a large region connected to the image's border in the axial slices) and read
as air, -1024 HU as the DICOM path reads it, with the voxels it replaced kept (one bit each) so
that a file written back holds the file's numbers (:meth:`Padding.restored`).
"""

from __future__ import annotations

import warnings
import weakref
from dataclasses import dataclass, field, replace

import numpy as np

AIR_HU = -1024
"""What padding reads as: air, as ``io.dicom.padding`` reads a DICOM series' padding."""
FAR_BELOW_AIR_HU = -1500.0
"""A padding is darker than this (air is -1000 HU, scanners read it down to -1024)..."""
LOWEST_PADDING = -32768.0
"""...and no darker than this: a 16-bit number, as scanners store it."""
SAMPLED_SLICES = 16
LARGE_FRACTION = 0.02
"""Padding fills at least this fraction of the sampled axial slices (a 512 circle in its square
leaves 21 %; a field of view larger than the matrix leaves less)."""
ON_BORDER_FRACTION = 0.95
"""Of the minimum's voxels in the sampled slices, at least this fraction lies in regions that
touch the slice's border (outside the body, not a lone dark voxel inside it)."""


@dataclass(frozen=True)
class Padding:
    """Where padding was read as air: its number in the file, and which voxels (one bit each,
    one row of packed bits per slice along the array's third axis, a 4D series' every time point
    of that slice), in the array ``array_ref`` refers to (weakly: a record outliving its array
    restores nothing)."""

    value: float
    bits: np.ndarray
    shape: tuple[int, ...]
    count: int
    array_ref: weakref.ref = field(repr=False, compare=False)
    frame: int = 0
    """Of a 4D series' record (its rows hold every time point's slice, i, j, t in Fortran
    order): the time point this one is of (:meth:`of_frame`)."""

    def restored(self, array: np.ndarray) -> np.ndarray:
        """``array`` with the padding's number back where it was read as air (a copy), or
        ``array`` itself when it is not the very array this padding was found in (another array
        of the same shape, made after that one was freed, may get its ``id``: it was matched by
        ``id`` until session 34 and had its voxels set to the padding number)."""
        if not self.found_in(array):
            return array
        return self.restored_slab(array, 0, self.shape[2])

    def found_in(self, array: np.ndarray) -> bool:
        """``array`` is the very array this padding was found in."""
        return self.array_ref() is array and tuple(array.shape) == self.shape

    def restored_slab(self, array: np.ndarray, start: int, stop: int) -> np.ndarray:
        """Slices ``start:stop`` (last axis) of ``array`` as the file stores them: a copy with the
        padding's number back, or a view of ``array`` when it is not the array it was found in
        (the workspace key hashes a CT slab by slab so, never copying it whole)."""
        part = array[:, :, start:stop]
        if not self.found_in(array):
            return part
        out = np.array(part, copy=True)
        per_slice = self.shape[0] * self.shape[1]
        for k in range(start, min(stop, self.shape[2])):
            if self.bits[k].any():
                mask = np.unpackbits(self.bits[k], count=per_slice * (self.frame + 1))
                mask = mask[self.frame * per_slice:].astype(bool)
                out[:, :, k - start][mask.reshape(self.shape[:2], order="F")] = self.value
        return out

    def restored_at(self, array: np.ndarray, index: tuple, values: np.ndarray) -> np.ndarray:
        """``values`` (``array[index]``, ``index`` three arrays of i, j, k) as the file stores
        them: the padding's number where it was read as air."""
        if not self.found_in(array):
            return values
        return np.where(self.padded_at(index), np.asarray(self.value).astype(values.dtype), values)

    def padded_at(self, index: tuple) -> np.ndarray:
        """Whether each voxel of ``index`` (three arrays of i, j, k) was padding: outside the
        scanned field of view (a rectangle's statistics leave those voxels out)."""
        i, j, k = (np.asarray(n, dtype=np.int64) for n in index)
        at = i + (j + self.frame * self.shape[1]) * self.shape[0]   # Fortran order: i, j, t
        return (self.bits[k, at // 8] >> (7 - at % 8)) & 1 == 1

    def of_frame(self, frame: int, array: np.ndarray) -> Padding:
        """This 4D series' record for its time point ``frame``, ``array`` (a 3D view of it)."""
        return replace(self, shape=tuple(array.shape), frame=int(frame),
                       array_ref=weakref.ref(array))


def _on_border(mask: np.ndarray) -> int:
    """Voxels of ``mask`` (2D) in the connected regions that touch the slice's border."""
    from scipy import ndimage

    labels, n = ndimage.label(mask)
    if n == 0:
        return 0
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    edge = edge[edge > 0]
    return int(np.isin(labels, edge).sum())


def padding_value(image: np.ndarray, axial_axis: int = 2) -> float | None:
    """The padding number of a CT image (3D, in HU), or ``None``: the image's minimum when it is
    far below air (:data:`FAR_BELOW_AIR_HU`) and, in up to :data:`SAMPLED_SLICES` axial slices,
    fills :data:`LARGE_FRACTION` of them in regions touching their border."""
    if image.ndim != 3 or image.dtype.kind not in "if" or image.size == 0:
        return None
    if image.dtype.kind == "f":
        with warnings.catch_warnings():   # all NaN: 'All-NaN slice encountered' on the console
            warnings.simplefilter("ignore", RuntimeWarning)
            low = float(np.nanmin(image))   # NaN then, which no padding range holds
    else:
        low = float(image.min())
    if not LOWEST_PADDING <= low < FAR_BELOW_AIR_HU:
        return None
    n = image.shape[axial_axis]
    picks = np.unique(np.linspace(0, n - 1, min(n, SAMPLED_SLICES)).round().astype(int))
    total = found = on_border = 0
    for k in picks:
        index = [slice(None)] * 3
        index[axial_axis] = int(k)            # a view (np.take copies, slowly, along any axis)
        mask = image[tuple(index)] == image.dtype.type(low)
        total += mask.size
        found += int(np.count_nonzero(mask))
        on_border += _on_border(mask)
    if found < LARGE_FRACTION * total or on_border < ON_BORDER_FRACTION * found:
        return None
    return low


def padding_record(array: np.ndarray, value: float, bits: np.ndarray, count: int) -> Padding | None:
    """Where ``array``'s padding (the number ``value``) was read as air: ``bits`` (one row of
    packed bits per slice along the last axis, :func:`fill_padding`'s), or ``None`` with none."""
    return Padding(float(value), bits, tuple(array.shape), count, weakref.ref(array)) if count else None


def fill_padding(array: np.ndarray, value: float) -> Padding:
    """Set ``array``'s voxels holding ``value`` to :data:`AIR_HU` in place (slice by slice along
    the last axis: one slice's mask at a time) and return where they were."""
    per_slice = array.shape[0] * array.shape[1]
    bits = np.zeros((array.shape[2], (per_slice + 7) // 8), dtype=np.uint8)
    count = 0
    target = array.dtype.type(value)
    for k in range(array.shape[2]):
        slab = array[:, :, k]
        mask = slab == target
        n = int(np.count_nonzero(mask))
        if n:
            bits[k] = np.packbits(mask.reshape(-1, order="F"))
            slab[mask] = AIR_HU
            count += n
    return Padding(float(value), bits, tuple(array.shape), count, weakref.ref(array))


def padding_read_as_air(data: np.ndarray, ijk_to_ras: np.ndarray) -> Padding | None:
    """A CT's padding outside its field of view (-3024 in dcm2niix's NIfTI of a GE CT), read as
    air in ``data`` (3D, in place) as a DICOM series' PixelPaddingValue is, else ``None`` (not a
    3D CT, or no padding). The axial axis is the one ``ijk_to_ras`` points most along S."""
    from .modality import looks_like_ct

    if data.ndim != 3 or not data.flags.writeable:
        return None
    columns = np.abs(np.asarray(ijk_to_ras, dtype=float)[:3, :3])
    axial = int(np.argmax(columns[2] / np.maximum(np.linalg.norm(columns, axis=0), 1e-12)))
    value = padding_value(data, axial)
    if value is None or not looks_like_ct(data):
        return None
    return fill_padding(data, value)
