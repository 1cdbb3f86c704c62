"""The values a scan keeps of a DICOM header, converted once and the same way for both readers
(neuroview's :mod:`.quick_read` and pydicom): numbers, the image kind (dcm2niix's suffixes),
series times and study text. The columns of an enhanced file's functional groups are
:mod:`.frame_fields`'s, the vendors' private tags :mod:`.vendor_fields`'. :mod:`.scan` makes
frame references of them.
"""

from __future__ import annotations

import re
from typing import Optional

from .elements import element_map
from .quick_dataset import QuickDataset


def as_float(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def as_floats(value, n):
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return out if len(out) == n else None


def first_value(value):
    """The first value of a multi-valued element (or the value itself)."""
    if value is None or isinstance(value, (str, bytes, int, float)):
        return value
    try:
        return value[0] if len(value) else None
    except TypeError:
        return value


def as_int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# Value representations whose conversion depends on the bytes alone (not on the character set).
_BYTES_ONLY_VRS = frozenset({"UI", "CS", "DS", "IS", "US", "SS", "UL", "SL", "FL", "FD", "TM", "DA",
                             "DT", "AS"})
_CACHE_LIMIT = 10_000


def header_value(ds, keyword: str, cache: Optional[dict] = None):
    """``ds.get(keyword)``, reusing the value converted from the same raw bytes in another file.

    The files of a series repeat most header values byte for byte (UIDs, matrix, orientation,
    spacing, rescale); pydicom's conversion of each element costs more than parsing the file, so
    a scan converts each distinct raw value once. Only value types whose conversion depends on
    the bytes alone are shared; values are shared read-only (callers copy them into tuples).
    """
    if cache is None or isinstance(ds, QuickDataset):  # its values are converted once
        return ds.get(keyword)
    from pydicom.datadict import dictionary_VR, tag_for_keyword
    from pydicom.dataelem import RawDataElement

    tag = cache.get(keyword)
    if tag is None:
        tag = cache[keyword] = tag_for_keyword(keyword)
    raw = element_map(ds).get(tag) if tag is not None else None
    if raw is None and tag is not None:
        return None  # absent (what ds.get gives, without its keyword lookups)
    if raw is None or not isinstance(raw, RawDataElement) or raw.value is None:
        return ds.get(keyword)
    vr = raw.VR
    if vr is None:  # implicit VR: the dictionary's
        try:
            vr = dictionary_VR(tag)
        except KeyError:
            return ds.get(keyword)
    if vr not in _BYTES_ONLY_VRS:
        return ds.get(keyword)
    key = (tag, vr, raw.is_little_endian, raw.value)
    try:
        return cache[key]
    except KeyError:
        value = ds.get(keyword)
        if len(cache) < _CACHE_LIMIT:
            cache[key] = value
        return value


_COMPONENTS = {"P": "ph", "PHASE": "ph", "R": "real", "REAL": "real", "I": "imaginary",
               "IMAGINARY": "imaginary"}
_DERIVED_MAPS = {"ADC": "ADC", "EADC": "EADC", "TRACEW": "TRACE", "TRACE": "TRACE", "FA": "FA",
                 "ISOTROPIC": "TRACE"}


def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split("\\")
    return [str(v).strip().upper() for v in value]


def image_kind(image_type, complex_component=None) -> tuple[str, str]:
    """(complex component suffix, derived map) of an ImageType / FrameType, as dcm2niix splits.

    dcm2niix never stacks phase, real or imaginary images with magnitude images, nor DERIVED
    images with ORIGINAL ones; it names them ``_ph``, ``_real``, ``_imaginary``.
    """
    values = _values(image_type)
    component = _COMPONENTS.get(str(complex_component or "").upper(), "")
    if not component:
        for value in values[2:]:
            if value in _COMPONENTS:
                component = _COMPONENTS[value]
                break
    derived = ""
    if values and values[0] == "DERIVED":
        derived = next((_DERIVED_MAPS[v] for v in values[1:] if v in _DERIVED_MAPS), "derived")
    return component, derived


def is_localizer(image_type) -> bool:
    """ImageType's third value (or a later one) is LOCALIZER: a CT scout or topogram
    (``ORIGINAL\\PRIMARY\\LOCALIZER``, Siemens ``...\\LOCALIZER\\CT_SOM5 TOP``), an MR localizer."""
    return "LOCALIZER" in _values(image_type)[2:]


KERNEL_CHARACTERS = 32
"""At most this much of a ConvolutionKernel is kept (a value is 16 characters, SH): a damaged
one of 70,000 named its series and made each of its warnings 70 kB long."""


def kernel_text(kernel) -> str:
    """ConvolutionKernel as one line (``"B30f"``; Siemens' two values ``Br40d\\3`` as
    ``"Br40d 3"``), ``""`` when absent, cut to :data:`KERNEL_CHARACTERS` (``...`` ending it)."""
    if kernel is None:
        return ""
    values = kernel.split("\\") if isinstance(kernel, str) else [str(v) for v in kernel]
    text = " ".join(v.strip() for v in values if v.strip())
    return text if len(text) <= KERNEL_CHARACTERS else text[:KERNEL_CHARACTERS - 3] + "..."


_XA_SOFTWARE = re.compile(r"XA\d\d")


def xa_volume_numbers(software) -> bool:
    """Siemens XA software (SoftwareVersions 'syngo MR XA30A'), which may store each volume of a
    run under its own SeriesNumber, 16001, 16002... (dcm2niix's issue 236): dcm2niix makes one
    series of a SeriesInstanceUID's numbers past 1000 with the same thousands, on this software
    only (tried: 'XA10A', 'XA11A', 'XA20A', 'syngo MR XA30A' merge; 'VE11C', 'XA', 'xa10a',
    'foo XA1' do not)."""
    values = [software] if isinstance(software, str) else list(software or [])
    return any(_XA_SOFTWARE.search(str(value)) for value in values)


def datetime_number(value) -> Optional[float]:
    """A DICOM DT or TM value as a sortable number (YYYYMMDDHHMMSS.ffffff), or ``None``."""
    text = str(value or "").strip().split("+")[0].split("-")[0]
    try:
        return float(text) if text else None
    except ValueError:
        return None


DESCRIPTION_LIMIT = 200
"""A description (an LO: at most 64 characters by the standard) is cut here: a damaged or
hostile header's 10 MB SeriesDescription was one 10 MB line of ``info`` and the window's title."""


def description_text(value) -> str:
    """A SeriesDescription, ProtocolName or StudyDescription as shown, cut to
    :data:`DESCRIPTION_LIMIT` characters (``...`` ending a cut one); its text, not ``b'...'``,
    where it came as bytes."""
    if isinstance(value, bytes):   # an element over 64 kB, written as UN (unknown VR)
        value = value.decode("utf-8", "replace").rstrip("\x00 ")
    text = str(value or "")
    return text if len(text) <= DESCRIPTION_LIMIT else text[:DESCRIPTION_LIMIT - 3] + "..."


def study_text(description, date) -> str:
    """``"Brain 2003-05-05"``: StudyDescription and StudyDate, what tells two studies apart in a
    listing (empty when the file has neither)."""
    day = str(date or "").strip()
    if len(day) == 8 and day.isdigit():
        day = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    return " ".join(part for part in (description_text(description).strip(), day) if part)


def patient_key(patient_id, name) -> str:
    """What tells two patients' files apart, never shown: a digest of PatientID (of PatientName
    where the ID is empty), ``""`` when the file names neither."""
    import hashlib

    text = str(patient_id or "").strip() or str(name or "").strip()
    return hashlib.blake2s(text.encode("utf-8", "replace")).hexdigest()[:16] if text else ""


def time_text(value) -> str:
    """A DICOM TM (or the time of a DT) as ``HH:MM:SS``; empty when absent or unreadable."""
    text = str(value or "").strip()
    if len(text) >= 14 and text[:14].isdigit():  # DT: YYYYMMDDHHMMSS...
        text = text[8:]
    digits = text.split(".")[0].replace(":", "")
    if len(digits) < 4 or not digits[:6].isdigit():
        return ""
    return ":".join(digits[i:i + 2] for i in range(0, min(len(digits), 6), 2))


def _says_mosaic(ds) -> bool:
    image_type = ds.get("ImageType") or []
    if isinstance(image_type, str):
        image_type = [image_type]
    return "MOSAIC" in [str(v).upper() for v in image_type]


def is_mosaic(ds) -> bool:
    """A Siemens MOSAIC image with its CSA image header (needed to unpack the tiles)."""
    return _says_mosaic(ds) and (0x0029, 0x1010) in ds


def mosaic_without_header(ds) -> bool:
    """ImageType says MOSAIC but the CSA image header that places its tiles is gone (private
    elements stripped by an anonymiser): it can only be read as the one tiled image."""
    return _says_mosaic(ds) and (0x0029, 0x1010) not in ds
