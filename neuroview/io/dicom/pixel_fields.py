"""The header fields that describe a file's pixels (SamplesPerPixel, PhotometricInterpretation,
BitsAllocated, BitsStored, PixelRepresentation), checked once decoding failed: one of them
missing or impossible made pydicom's decoders fail, and the reason blamed the data (``the
Explicit VR Little Endian data are damaged: not a stream a decoder can read``) where the pixel
data were whole (``bench/fuzz_readers.py --only enhanced``, session 39)."""

from __future__ import annotations

from .elements import element_map

PHOTOMETRIC = {"MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB", "YBR_FULL", "YBR_FULL_422",
               "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT", "ARGB", "CMYK", "HSV",
               "XYB"}
"""The values DICOM defines (PS3.3 C.7.6.3.1.2), retired ones included."""
TAGS = {"SamplesPerPixel": 0x00280002, "PhotometricInterpretation": 0x00280004,
        "BitsAllocated": 0x00280100, "BitsStored": 0x00280101, "PixelRepresentation": 0x00280103}


def _value(ds, keyword: str):
    if TAGS[keyword] not in element_map(ds):
        return None
    try:
        value = ds[TAGS[keyword]].value
    except Exception:  # noqa: BLE001 - pydicom's zoo: a value it cannot convert
        return "?"
    return value[0] if isinstance(value, (list, tuple)) and value else value


def pixel_fields_problem(ds) -> str:
    """What is wrong with the fields that describe ``ds``'s pixels, or ""."""
    problems = []
    for keyword in ("SamplesPerPixel", "PhotometricInterpretation", "BitsAllocated",
                    "PixelRepresentation"):
        if _value(ds, keyword) in (None, ""):
            problems.append(f"no {keyword}")
    samples, bits = _value(ds, "SamplesPerPixel"), _value(ds, "BitsAllocated")
    stored, sign = _value(ds, "BitsStored"), _value(ds, "PixelRepresentation")
    photometric = _value(ds, "PhotometricInterpretation")
    if samples not in (None, "") and samples not in (1, 3, 4):
        problems.append(f"SamplesPerPixel {samples}, not 1 or 3")
    if photometric not in (None, "") and str(photometric).strip() not in PHOTOMETRIC:
        # not quoted: a text value could be anything, a patient's name too
        problems.append("PhotometricInterpretation not a value DICOM defines, value not shown")
    if bits not in (None, "") and not (bits == 1 or (isinstance(bits, int) and bits % 8 == 0
                                                      and 8 <= bits <= 64)):
        problems.append(f"BitsAllocated {bits}, not 1 or a multiple of 8")
    if stored not in (None, "") and isinstance(bits, int) and not (0 < stored <= bits):
        problems.append(f"BitsStored {stored} where BitsAllocated is {bits}")
    if sign not in (None, "") and sign not in (0, 1):
        problems.append(f"PixelRepresentation {sign}, not 0 or 1")
    if not problems:
        return ""
    return ("DICOM header does not describe its pixels: " + "; ".join(problems)
            + " (damaged header)")
