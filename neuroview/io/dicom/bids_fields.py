"""The acquisition fields of a DICOM series that ``neuroview convert`` writes into the BIDS-style
JSON sidecar beside its NIfTI (``NAME.json``, as dcm2niix's ``-b y``): what a NIfTI header cannot
say (a CT whose voxels do not look like HU reopened as non-CT without its ``"Modality": "CT"``).

Only the fields of :data:`FIELDS` are read, in BIDS' names and units (seconds for EchoTime and
RepetitionTime, as dcm2niix writes them): never a name, ID, date, time, UID, institution, station
or device serial number, whatever the file holds. Manufacturer is written as dcm2niix writes it
(``Siemens`` for ``SIEMENS``, ``GE`` for ``GE MEDICAL SYSTEMS``)."""

from __future__ import annotations

import warnings

from .fields import KERNEL_CHARACTERS

FIELDS = ("Modality", "MagneticFieldStrength", "Manufacturer", "ImageType", "BodyPart",
          "ConvolutionKernel", "SliceThickness", "EchoTime", "RepetitionTime")
"""The sidecar's fields, in dcm2niix's order."""

DICOM_KEYWORDS = {"BodyPart": "BodyPartExamined"}
"""The sidecar's fields that DICOM names otherwise (a model refuses a knee by it: ``ai.domain``)."""

IN_SECONDS = {"EchoTime", "RepetitionTime"}
"""DICOM gives them in ms, BIDS in s."""

IN_FRAME_GROUPS = {"EchoTime": ("MREchoSequence", "EffectiveEchoTime"),
                   "RepetitionTime": ("MRTimingAndRelatedParametersSequence", "RepetitionTime"),
                   "SliceThickness": ("PixelMeasuresSequence", "SliceThickness")}
"""Where an enhanced (multi-frame) file keeps them: in a functional group, shared or per frame."""

VENDORS = (("SIEMENS", "Siemens"), ("GE", "GE"), ("PHILIPS", "Philips"), ("TOSHIBA", "Toshiba"),
           ("CANON", "Canon"), ("HITACHI", "Hitachi"), ("UIH", "UIH"), ("UNITED IMAGING", "UIH"),
           ("BRUKER", "Bruker"), ("MEDISO", "Mediso"))
"""dcm2niix's Manufacturer by how DICOM's begins (``GE MEDICAL SYSTEMS``: GE)."""


REPETITION_TIME = 0x00180080
"""(0018,0080) DS, which neuroview's own header reader does not convert: read from its bytes."""


def bids_fields(path: str) -> dict:
    """The :data:`FIELDS` that the DICOM file ``path`` (a series' first) holds, as a BIDS sidecar
    gives them; ``{}`` where it cannot be read. Read by neuroview's header reader where it can
    (a little-endian series is converted without importing pydicom), else by pydicom (an enhanced
    file's functional groups too)."""
    from .quick_dataset import Decline
    from .quick_read import quick_read

    quick = quick_read(path)
    if quick is not None and "SharedFunctionalGroupsSequence" not in quick:
        try:
            return _fields(lambda keyword: _quick_raw(quick, keyword))
        except (Decline, UnicodeError, ValueError):   # what pydicom reads better
            pass
    import pydicom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(path, stop_before_pixels=True, force=True)
    except Exception:  # noqa: BLE001 - pydicom's zoo: the image is written, its sidecar smaller
        return {}
    return _fields(lambda keyword: _raw(ds, keyword))


def _fields(raw) -> dict:
    fields = {}
    for keyword in FIELDS:
        value = _value(raw(DICOM_KEYWORDS.get(keyword, keyword)), keyword)
        if value is not None:
            fields[keyword] = value
    return fields


def _quick_raw(quick, keyword: str):
    if keyword != "RepetitionTime":
        return quick.get(keyword)
    data = quick.raw_value(REPETITION_TIME)
    return None if data is None else data.decode("ascii").strip(" \x00")


def _value(raw, keyword: str):
    if raw is None or raw == "":
        return None
    try:
        if keyword == "ImageType":
            return [str(v).strip() for v in ([raw] if isinstance(raw, str) else raw)]
        if keyword == "ConvolutionKernel":   # a CT's soft-tissue and bone series told apart
            return _kernel(raw)
        if keyword in ("Modality", "Manufacturer", "BodyPart"):
            text = str(raw).strip()
            return manufacturer(text) if keyword == "Manufacturer" else text
        number = float(raw)
    except (TypeError, ValueError):
        return None
    number = number / 1000.0 if keyword in IN_SECONDS else number
    return int(number) if number.is_integer() else round(number, 8)


def _kernel(raw) -> str | None:
    """ConvolutionKernel as dcm2niix writes it: its values joined by a backslash (Siemens'
    ``Br40d\\3``), cut to :data:`.fields.KERNEL_CHARACTERS` (a damaged one of 70,000)."""
    values = raw.split("\\") if isinstance(raw, str) else [str(v) for v in raw]
    return "\\".join(v.strip() for v in values if v.strip())[:KERNEL_CHARACTERS] or None


def _raw(ds, keyword: str):
    try:
        value = ds.get(keyword)
        if value is None and keyword in IN_FRAME_GROUPS:
            group, name = IN_FRAME_GROUPS[keyword]
            for groups in (ds.get("SharedFunctionalGroupsSequence"),
                           ds.get("PerFrameFunctionalGroupsSequence")):
                if groups:
                    items = groups[0].get(group)
                    if items and items[0].get(name) is not None:
                        return items[0].get(name)
        return value
    except Exception:  # noqa: BLE001 - a damaged element: left out, as if absent
        return None


def manufacturer(text: str) -> str:
    """``SIEMENS`` -> ``Siemens``, ``GE MEDICAL SYSTEMS`` -> ``GE``, as dcm2niix names them; another
    vendor as written."""
    upper = text.upper()
    return next((name for start, name in VENDORS if upper.startswith(start)), text)
