"""The modality a NIfTI's JSON sidecar names (dcm2niix's ``-b y``, BIDS): ``T1w.json`` beside
``T1w.nii.gz`` says ``"Modality": "MR"``, which the NIfTI header has no field for. ``info`` and the
series chooser listed such an image as ``-`` (or guessed it from its voxels), and a model's CT
check went by its voxels alone.

Only ``Modality``, ``BodyPart`` (dcm2niix's name for DICOM's BodyPartExamined: a head model
refuses a knee by it, ``ai.domain``) and whether ``ImageType`` and ``SeriesDescription`` name an
ADC map (:func:`sidecar_names_adc`, for its unit) are read. A sidecar holds identifying text too
(``PatientName``, ``PatientID`` and dates where dcm2niix was asked to keep them;
``SeriesDescription`` and ``ProtocolName``, which DICOM's de-identification profile removes):
none of it is kept or shown; the two descriptions are only compared with the file's name
(:func:`named_by_description`) and looked at for the words of an ADC map. The file name stays the
image's description."""

from __future__ import annotations

import math
import os
import re

from ..core.jsonfile import read_json
from .nifti_frames import NIFTI_ENDINGS

SIDECAR_MAX_BYTES = 4 << 20
"""dcm2niix's sidecars are a few kB (a multiband run's SliceTiming some more); larger: not one."""
MODALITY_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,15}")
"""A DICOM modality code (CS: ``MR``, ``CT``, ``PT``); anything else is not taken as one."""
BODY_PART_CODE = re.compile(r"[A-Z][A-Z0-9_ ]{0,15}")
"""A BodyPartExamined value (CS, at most 16 characters: ``KNEE``, ``LSPINE``)."""


def sidecar_name(path: str) -> str:
    """``NAME.json`` for ``NAME.nii.gz`` / ``NAME.nii`` (dcm2niix's and BIDS' naming); "" for
    another file (an MGH, a pair, a NRRD)."""
    lower = os.path.basename(path).lower()
    for ending in NIFTI_ENDINGS:
        if lower.endswith(ending):
            return path[: -len(ending)] + ".json"
    return ""


def sidecar_modality(path: str) -> tuple[str, str]:
    """``(modality, warning)`` from the JSON sidecar beside the NIfTI ``path``: ``("MR", "")``
    where it says ``"Modality": "MR"``; ``("", "")`` where there is none or it names none; a
    sidecar that cannot be read gives ``("", "T1w.json: not read (WHY); the modality is not
    known from it")``."""
    sidecar = sidecar_name(path)
    if not sidecar or not os.path.lexists(sidecar):
        return "", ""
    name = os.path.basename(sidecar)
    try:
        fields = read_json(sidecar, SIDECAR_MAX_BYTES)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return "", f"{name}: not read ({why}); the modality is not known from it"
    value = fields.get("Modality") if isinstance(fields, dict) else None
    if value is None:
        return "", ""
    code = str(value).strip().upper() if isinstance(value, str) else ""
    if not MODALITY_CODE.fullmatch(code):
        return "", f"{name}: its Modality is no modality code; the modality is not known from it"
    return code, ""


def _fields(path: str) -> dict:
    """The JSON sidecar beside the NIfTI ``path``, read; {} where there is none, it cannot be
    read (:func:`sidecar_modality` says so) or it holds no object."""
    sidecar = sidecar_name(path)
    if not sidecar or not os.path.isfile(sidecar):
        return {}
    try:
        fields = read_json(sidecar, SIDECAR_MAX_BYTES)
    except (OSError, ValueError):
        return {}
    return fields if isinstance(fields, dict) else {}


def sidecar_names_adc(path: str) -> bool:
    """Whether the JSON sidecar beside the NIfTI ``path`` names an ADC map by its ``ImageType``
    (dcm2niix's list, ``["DERIVED", "PRIMARY", "DIFFUSION", "ADC"]``) or ``SeriesDescription``
    (:func:`.adc_unit.names_adc`); False where there is none or it cannot be read (said by
    :func:`sidecar_modality`)."""
    from .adc_unit import names_adc
    from .dicom.fields import image_kind

    fields = _fields(path)
    image_type = fields.get("ImageType")
    image_type = image_type if isinstance(image_type, (list, str)) else None
    return names_adc(fields.get("SeriesDescription"), image_kind(image_type)[1])


def sidecar_names_kind(path: str) -> bool:
    """Whether the JSON sidecar beside the NIfTI ``path`` says what the image is (its
    ``ImageType`` or ``SeriesDescription``, dcm2niix's): then it, not the file's name, says
    whether it is an ADC map (:func:`sidecar_names_adc`)."""
    fields = _fields(path)
    return bool(fields.get("ImageType") or fields.get("SeriesDescription"))


def sidecar_echo(path: str) -> dict:
    """Which echo of a multi-echo series the NIfTI ``path`` holds, by its dcm2niix sidecar
    (``"EchoNumber": 2``, ``"EchoTime": 0.01`` in seconds: dcm2niix writes EchoNumber for the
    echoes of a multi-echo series only), as ``io.echoes.echo_metadata``; {} for another image."""
    from .echoes import echo_metadata

    fields = _fields(path)
    number, seconds = fields.get("EchoNumber"), fields.get("EchoTime")
    if not isinstance(number, int) or isinstance(number, bool):
        return {}
    seconds = seconds if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else None
    return echo_metadata(number, None if seconds is None else seconds * 1000.0)


def sidecar_body_part(path: str) -> str:
    """The ``BodyPart`` the JSON sidecar beside the NIfTI ``path`` names (dcm2niix writes
    ``"BodyPart": "KNEE"``), upper case; "" where there is no sidecar, it cannot be read (the
    modality's line says so) or it names none in DICOM's words (a code of letters and digits)."""
    value = _fields(path).get("BodyPart")
    code = value.strip().upper() if isinstance(value, str) else ""
    return code if BODY_PART_CODE.fullmatch(code) else ""


FRAME_TIMES_FIELDS = ("FrameTimesStart", "VolumeTiming")
"""Where a sidecar lists each volume's start in seconds: dcm2niix's ``FrameTimesStart`` (what
``neuroview convert`` writes for an unevenly sampled run), BIDS' ``VolumeTiming``."""


def sidecar_frame_times(path: str, n_frames: int) -> dict:
    """``{"frame_times_s": "0 1 2 ... 25"}`` (``app.frames.frame_seconds``) from the sidecar of
    the NIfTI ``path`` listing each of its ``n_frames`` volumes' times (:data:`FRAME_TIMES_FIELDS`,
    finite numbers that never go back); {} where it lists none, another count or other values:
    the header's ``pixdim[4]`` names the time points then. A NIfTI holds one time between
    volumes, the average of an unevenly sampled run (``neuroview convert``); its own times came
    back only from the DICOM series until session 52."""
    if n_frames < 2:
        return {}
    fields = _fields(path)
    for name in FRAME_TIMES_FIELDS:
        times = fields.get(name)
        if not isinstance(times, list) or len(times) != n_frames or not all(
                isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t)
                for t in times):
            continue
        if all(b >= a for a, b in zip(times, times[1:])):
            return {"frame_times_s": " ".join(f"{float(t):.6g}" for t in times)}
    return {}


def write_sidecar(nifti_path: str, fields: dict) -> str:
    """Write ``fields`` (``io.dicom.bids_fields``) with the converter's name and version
    (``ConversionSoftware``, ``ConversionSoftwareVersion``, as dcm2niix signs its own) as the JSON
    sidecar of the NIfTI just written at ``nifti_path`` (:func:`sidecar_name`), atomically and
    without fsync, as the NIfTI (derived data); returns its path ("" where ``fields`` is empty)."""
    import json

    from .. import __version__
    from ..core.atomic import atomic_path

    path = sidecar_name(nifti_path)
    if not fields or not path:
        return ""
    signed = {**fields, "ConversionSoftware": "neuroview", "ConversionSoftwareVersion": __version__}
    with atomic_path(path, durable=False) as tmp:
        tmp.write_text(json.dumps(signed, indent=2) + "\n", encoding="utf-8")
    return path


def named_by_description(path: str) -> bool:
    """Whether a converter named the NIfTI ``path`` after its DICOM series' description, which a
    PACS may fill with patient text: ``neuroview convert``'s ``NNN_DESCRIPTION`` (its sidecar
    signed ``neuroview``), or a name holding the ``SeriesDescription`` or ``ProtocolName`` of its
    sidecar (dcm2niix's ``%f_%p_%t_%s``), letters and digits compared. No sidecar, or one that
    cannot be read: ``False``."""
    fields = _fields(path)
    if not fields:
        return False
    sidecar = sidecar_name(path)
    stem = os.path.basename(path)[: len(os.path.basename(sidecar)) - len(".json")]
    if fields.get("ConversionSoftware") == "neuroview" and re.fullmatch(r"\d{3}_.+", stem):
        return True
    plain = _letters_and_digits(stem)
    described = (_letters_and_digits(fields.get(key)) for key in ("SeriesDescription", "ProtocolName"))
    return any(text and text in plain for text in described)


def _letters_and_digits(text) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower()) if isinstance(text, str) else ""
