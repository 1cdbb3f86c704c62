"""Pixel padding: the stored value a scanner writes where it measured nothing (a CT's corners
outside its circular field of view), read as air.

PixelPaddingValue (0028,0120), with PixelPaddingRangeLimit (0028,0121) a range of them, names
stored values (before RescaleSlope/Intercept) that are not image (PS3.3 C.7.5.1.1.2). Read as
numbers they are -2000 stored (-3024 HU, GE) or worse: an unsigned series whose padding is 63536
read as 62512 HU, a white frame around the head in every window and a solid block in the 3D
bone rendering. Here padded voxels take the value of air: -1024 HU on a CT, else (other units,
or a CT whose other voxels are none below 0: not Hounsfield units) the smallest value of the
image's other voxels where the padding lies above it; a padding at or below every other value
keeps its number (but on such a CT), as does a non-CT with fractional rescale. dcm2niix
keeps the numbers. A lossy-compressed image keeps them too: its padding is no longer one number
(pydicom's 693_J2KI.dcm: 55,772 voxels of -2000 stored became -2971..80, 494 of them still
-2000), so air would land on a few scattered voxels of the padding, not on the padding.
"""

from __future__ import annotations

import struct
from typing import Optional

import numpy as np

from .quick_dataset import QuickDataset

PADDING_VALUE, PADDING_RANGE_LIMIT = 0x00280120, 0x00280121
LOSSY_IMAGE_COMPRESSION = 0x00282110
LOSSY_SYNTAXES = frozenset({"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
                            "1.2.840.10008.1.2.4.81"})
"""JPEG baseline, JPEG extended and JPEG-LS near-lossless: lossy whatever the header says."""
AIR_HU = -1024


def _stored_int(header, tag: int, signed: bool) -> Optional[int]:
    """A US/SS element's first value as the pixels are stored (signed as PixelRepresentation
    says: its VR follows it), or ``None`` when absent or unreadable."""
    if isinstance(header, QuickDataset):
        data = header.raw_value(tag)
        little = True
    else:
        element = header.get(tag)
        if element is None:
            return None
        data = element.value
        little = getattr(header, "is_little_endian", True) is not False
        if isinstance(data, (list, tuple)) and data:
            data = data[0]
        if isinstance(data, (int, np.integer)):  # pydicom read it as US or SS: take its bits
            value = int(data)
            if signed and value >= 1 << 15:
                value -= 1 << 16
            elif not signed and value < 0:
                value += 1 << 16
            return value
    if not isinstance(data, (bytes, bytearray)) or len(data) < 2:
        return None
    return struct.unpack(("<" if little else ">") + ("h" if signed else "H"), data[:2])[0]


def lossy(header, transfer_syntax: str) -> bool:
    """Whether the pixels went through lossy compression: LossyImageCompression (0028,2110)
    "01" (also in a file decompressed since, such as pydicom's 693_UNCI.dcm), or a syntax that
    is never lossless."""
    if str(transfer_syntax) in LOSSY_SYNTAXES:
        return True
    try:
        if isinstance(header, QuickDataset):
            data = header.raw_value(LOSSY_IMAGE_COMPRESSION)
        else:
            element = header.get(LOSSY_IMAGE_COMPRESSION)
            data = None if element is None else element.value
    except Exception:  # noqa: BLE001 - a damaged element: taken as not lossy
        return False
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("ascii", "replace")
    return isinstance(data, str) and data.strip(" \x00") == "01"


def padding_range(header) -> Optional[tuple[int, int]]:
    """The stored values (lowest, highest) that mean padding, or ``None``."""
    try:
        signed = int(header.get("PixelRepresentation") or 0) == 1
        value = _stored_int(header, PADDING_VALUE, signed)
        if value is None:
            return None
        limit = _stored_int(header, PADDING_RANGE_LIMIT, signed)
    except Exception:  # noqa: BLE001 - a damaged element: no padding, the numbers as stored
        return None
    limit = value if limit is None else limit
    return min(value, limit), max(value, limit)


def padded(values: np.ndarray, padding: tuple[int, int]) -> np.ndarray:
    low, high = padding
    if low == high:
        return values == values.dtype.type(low)
    return (values >= low) & (values <= high)


def fits(dtype: np.dtype, padding: tuple[int, int]) -> bool:
    """Whether stored values of ``dtype`` can be padding at all."""
    if dtype.kind not in "iu":
        return False
    info = np.iinfo(dtype)
    return padding[1] >= info.min and padding[0] <= info.max


def air_stored(dtype: np.dtype, slope: float, intercept: float) -> Optional[int]:
    """The stored value that rescales to air (-1024 HU), if it is an integer ``dtype`` holds."""
    if slope == 0:
        return None
    stored = (AIR_HU - intercept) / slope
    info = np.iinfo(dtype)
    if not float(stored).is_integer() or not info.min <= stored <= info.max:
        return None
    return int(stored)


def padding_bits(out: np.ndarray) -> np.ndarray:
    """Room for where a series' padding lies: one row of packed bits per slice (axis 2; a 4D
    series' every time point of it, i, j, t in Fortran order), as ``core.ct_padding.Padding``
    keeps them (1/16 of an int16 image)."""
    per_slice = out.size // out.shape[2]
    return np.zeros((out.shape[2], (per_slice + 7) // 8), dtype=np.uint8)


def _mark(bits: Optional[np.ndarray], k: int, mask: np.ndarray) -> None:
    if bits is not None:
        bits[k] = np.packbits(mask.reshape(-1, order="F"))


def replace_stored(out: np.ndarray, padding: tuple[int, int], fill: Optional[int],
                   bits: Optional[np.ndarray] = None, rescale: tuple[float, float] = (1.0, 0.0)) -> int:
    """Set ``out``'s padded voxels (stored integers, slices along axis 2) to ``fill``, or with
    ``fill`` None to the smallest value of the other voxels where the padding lies above it (a
    padding at or below every other value, such as an MR's 0 background, is drawn dark already
    and keeps its number); slice by slice (one slice's mask at a time, not a volume's). A CT's
    ``fill`` (air, -1024 HU stored) gives way to that smallest value when no other voxel lies
    below 0 once ``rescale``d (slope, intercept): its numbers are not Hounsfield units (a
    cone-beam CT's air near 0), and -1024 would be the image's only value below its air. Returns
    how many voxels were changed; where they lie goes into ``bits`` (:func:`padding_bits`)."""
    count, lowest = 0, None
    top = np.iinfo(out.dtype).max
    slope, intercept = rescale

    def in_hu() -> bool:   # a voxel below 0 once rescaled: the CT's numbers are HU
        return slope <= 0 or (lowest is not None and float(lowest) * slope + intercept < 0)

    for k in range(out.shape[2]):
        slab = out[:, :, k]
        mask = padded(slab, padding)
        n = int(np.count_nonzero(mask))
        count += n
        if n:
            _mark(bits, k, mask)
        if n < mask.size and (fill is None or not in_hu()):   # (a CT's first slice decides)
            low = slab.min(where=~mask, initial=top)   # no copy of the slice's other voxels
            lowest = low if lowest is None else min(lowest, low)
        if n and fill is not None:
            slab[mask] = fill
    if not count or lowest is None:
        return count if fill is not None else 0
    if fill is not None:
        if in_hu():
            return count
        before, fill = fill, lowest   # not HU: no voxel but the padding rescales to -1024 HU
        for k in range(out.shape[2]):
            slab = out[:, :, k]
            slab[slab == before] = fill
        return count
    if padding[1] <= lowest:
        return 0
    for k in range(out.shape[2]):
        slab = out[:, :, k]
        slab[padded(slab, padding)] = lowest
    return count


def fill_marked(out: np.ndarray, bits: Optional[np.ndarray] = None) -> int:
    """Rescaled float voxels of a CT that were padding are NaN (marked while decoding): give them
    air, -1024 HU, or, when no other voxel lies below 0 (numbers that are not Hounsfield units,
    as :func:`replace_stored` has it), the smallest of the others. Returns how many there were;
    where they lie goes into ``bits``."""
    count, lowest = 0, np.inf
    for k in range(out.shape[2]):
        slab = out[:, :, k]
        mask = np.isnan(slab)
        if lowest >= 0:   # until a voxel below 0: HU (a CT's first slice with air decides)
            lowest = min(lowest, float(slab.min(where=~mask, initial=np.inf)))
        if mask.any():
            count += int(np.count_nonzero(mask))
            slab[mask] = AIR_HU
            _mark(bits, k, mask)
    if count and 0 <= lowest < np.inf:
        for k in range(out.shape[2]):
            slab = out[:, :, k]
            slab[slab == AIR_HU] = lowest
    return count
