"""The vendors' private tags the scan reads: Philips' scale slope (and the values it gives,
:func:`rescale`; its Real World Value Mapping where the rescale is left out) and isotropic trace
images, GE's private image type, and UIH (United Imaging) grid mosaics, whose geometry is only in
private tags.
"""

from __future__ import annotations

import math
import struct
from typing import Optional

from .fields import as_float, as_int, first_value
from .refs import FrameRef

UIH_GRID_SLICES = 0x00651050  # DS: slices in the volume ("Image Private Header" block)
UIH_GRID_FRAMES = 0x00651051  # SQ "MRVFrameSequence": one item per slice, with its position


def uih_grid_slices(ds) -> int:
    """Slices of a UIH (United Imaging) grid mosaic, else 0.

    UIH stores EPI/DWI volumes as one image of tiles ("VFRAME") whose geometry is only in
    private tags (the layout GDCM's SplitUihGridFilter and dcm2niix read): (0065,1050) the number
    of slices and (0065,1051) a sequence with each slice's ImagePositionPatient.
    """
    if UIH_GRID_SLICES not in ds.keys() or not str(ds.get("Manufacturer") or "").upper().startswith(
            ("UIH", "UNITED IMAGING")):
        return 0
    element = ds.get(UIH_GRID_SLICES)
    value = getattr(element, "value", None)
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace").strip("\x00 ")
    count = as_int(as_float(first_value(value)), 0)
    return count if count > 1 and private_item(ds, UIH_GRID_FRAMES) is not None else 0


PHILIPS_SCALE_SLOPE = 0x2005100E
PHILIPS_PRIVATE_FRAME_SEQUENCE = 0x2005140F


PHILIPS_B_VALUE, PHILIPS_DIFFUSION_DIRECTION = 0x20011003, 0x20011004
GE_IMAGE_TYPE = 0x0043102F
"""GE's private image type (GEMS_PARM_01, SS): 0 magnitude, 1 phase, 2 real, 3 imaginary."""
_GE_COMPONENTS = {1: "ph", 2: "real", 3: "imaginary"}


def ge_component(ds) -> str:
    """The complex component a GE image names only in (0043,102F), as dcm2niix reads it: GE
    writes ImageType ORIGINAL\\PRIMARY\\OTHER on magnitude and phase images alike."""
    value = getattr(ds.get(GE_IMAGE_TYPE), "value", None)
    if isinstance(value, bytes):  # implicit VR without pydicom's private dictionary
        value = struct.unpack("<h", value[:2])[0] if len(value) >= 2 else None
    return _GE_COMPONENTS.get(as_int(first_value(value)), "")


ISOTROPIC = "isotropic"
"""``FrameRef.derived`` of a Philips isotropic (trace) image: a series of its own, named with
dcm2niix's ``_ADC`` (``grouping``), said to be the trace, not an ADC map (:data:`ISOTROPIC_NOTE`)."""
ISOTROPIC_NOTE = ("the scanner's isotropic (trace) diffusion-weighted image: its values are "
                  "signal, not ADC (named _ADC as dcm2niix names it)")
"""The warning of such a series (its name alone read as an ADC map, the lesion bright on it)."""


def philips_isotropic(ds, get) -> bool:
    """A Philips diffusion image with b > 0 and no direction: the isotropic (trace) volume the
    scanner appends to a DWI series (direction 'I' in (2001,1004), or DiffusionDirectionality
    ISOTROPIC). dcm2niix writes the series without it and again with it as ``_ADC``."""
    direction = getattr(ds.get(PHILIPS_DIFFUSION_DIRECTION), "value", None)
    if isinstance(direction, bytes):
        direction = direction.decode("ascii", "replace")
    direction = str(direction or "").strip("\x00 ").upper()
    b_value = private_float(ds, PHILIPS_B_VALUE) or as_float(get("DiffusionBValue"), 0.0)
    return bool(b_value and b_value > 0) and (
        direction == "I" or str(get("DiffusionDirectionality") or "").upper() == "ISOTROPIC")


def private_item(container, tag: int):
    element = container.get(tag)
    value = getattr(element, "value", None)
    if value is None or isinstance(value, (bytes, bytearray, str)):
        return None  # not a sequence (an unknown private element left as bytes)
    try:
        return value[0] if len(value) else None
    except (TypeError, IndexError):
        return None


def private_float(container, tag: int) -> Optional[float]:
    """A private FL value (bytes when the file is implicit VR: read as little-endian float)."""
    element = container.get(tag)
    value = getattr(element, "value", None)
    if isinstance(value, bytes):
        value = struct.unpack("<f", value[:4])[0] if len(value) >= 4 else None
    value = as_float(first_value(value))
    return value if value and value == value else None  # zero and NaN mean "none"


def real_world_rescale(real_world: Optional[tuple], slope: float,
                       intercept: float) -> tuple[float, float]:
    """A Philips image's (RescaleSlope, RescaleIntercept) as dcm2niix reads them: its Real World
    Value Mapping's (slope, intercept) (:func:`.frame_fields.read_real_world`, a classic file's
    first item or an enhanced frame's) stand in for a RescaleSlope that is 1 or absent and a
    RescaleIntercept that is 0 or absent (derived maps, exports that dropped the rescale, carry
    their values' scale there alone)."""
    real_slope, real_intercept = real_world or (None, None)
    if slope == 1.0 and real_slope and math.isfinite(real_slope):
        slope = real_slope
    if intercept == 0.0 and real_intercept and math.isfinite(real_intercept):
        intercept = real_intercept
    return slope, intercept


def rescale(ref: FrameRef, choice: str) -> tuple[float, float]:
    """(slope, intercept) from stored values for a Philips scale choice (dcm2niix's formula).

    ``display``: RescaleSlope/Intercept (RS, RI); ``float``: the precise value
    (stored * RS + RI) / (RS * SS) with SS the private scale slope (2005,100E), as dcm2niix writes
    by default (PMC3998685); ``stored``: the raw pixel values.
    """
    rs, ri = ref.stored_slope, ref.stored_intercept
    if choice == "stored":
        return 1.0, 0.0
    if choice == "float" and ref.philips_scale and rs:
        return 1.0 / ref.philips_scale, ri / (rs * ref.philips_scale)
    return rs, ri
