"""Who made a segment, as a DICOM SEG says it (``seg.save_seg`` / ``seg.load_seg``).

SegmentAlgorithmType is MANUAL for a segment drawn by hand only, AUTOMATIC for a model's mask
nobody changed, SEMIAUTOMATIC (with the model as algorithm) for an AI click segment and for a
model's mask a person changed: by hand (``drawn=yes``) or with AI click (``refined_by=AI click``),
and for labels loaded from a file refined with AI click (``proposed_by=file``, the model that
answered as algorithm; a loaded segment otherwise is MANUAL: the file does not say who made it).
The AlgorithmParameters (``key=value,...``, what highdicom's
``AlgorithmIdentificationSequence.parameters`` reads) say which, and the prompts by kind
(``prompts=point+:2;box+:1``), so neuroview reads the same provenance back. A model without a
version goes out as AlgorithmVersion ``unknown`` (the attribute may not be empty) with
``version=none`` and reads back as its name alone (until session 28: ``name@unknown``).
"""

from __future__ import annotations

from typing import Optional

from ..core.labels import Segment


def algorithm_type(segment: Segment) -> str:
    """``"MANUAL"``, ``"AUTOMATIC"`` or ``"SEMIAUTOMATIC"`` for ``segment``."""
    if segment.origin not in ("model", "interactive") and not segment.ai_clicked:
        return "MANUAL"
    untouched = segment.origin == "model" and not segment.drawn and not segment.ai_clicked
    return "AUTOMATIC" if untouched else "SEMIAUTOMATIC"


def made_by_parameters(segment: Segment) -> Optional[dict]:
    """How a SEMIAUTOMATIC segment was made (``None`` for another): ``proposed_by`` the model
    (``model``: its mask changed by a person), a label ``file`` or ``AI click`` (a model answering
    a person's prompts), ``refined_by=AI click`` for a model's mask or a file's labels refined with
    AI click, ``drawn=yes`` when a
    person drew in it by hand too, and the prompts given."""
    if algorithm_type(segment) != "SEMIAUTOMATIC":
        return None
    made = {"proposed_by": {"model": "model", "loaded": "file"}.get(segment.origin, "AI click")}
    if segment.ai_clicked:
        made["refined_by"] = "AI click"
    if segment.drawn:
        made["drawn"] = "yes"
    prompts = {str(kind): int(n) for kind, n in segment.prompts.items()
               if not set(str(kind)) & set(",=:;")}
    if prompts:
        made["prompts"] = ";".join(f"{kind}:{n}" for kind, n in prompts.items())
    return made


NO_VERSION = "unknown"
"""The AlgorithmVersion of a model without a version (type 1: it may not be empty)."""


def algorithm_of(segment: Segment) -> tuple[str, str, Optional[dict]]:
    """AlgorithmName, AlgorithmVersion and AlgorithmParameters of a segment that is not MANUAL:
    ``version=none`` among the parameters when the model has no version."""
    name, _, version = (segment.model or "model").partition("@")
    parameters = made_by_parameters(segment)
    if not version:
        parameters = {**(parameters or {}), "version": "none"}
    return name or "model", version or NO_VERSION, parameters


def parameters_from_text(text: str) -> dict:
    """:func:`made_by_parameters` read back (empty for text another program wrote otherwise)."""
    pairs = (item.split("=", 1) for item in str(text).split(",") if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs}


def prompts_from_text(text: str) -> dict:
    """``point+:2;box+:1`` -> ``{"point+": 2, "box+": 1}`` (what is not a kind and a count is
    left out)."""
    counts = {}
    for item in str(text).split(";"):
        kind, _, n = item.partition(":")
        if kind.strip() and n.strip().isdigit():
            counts[kind.strip()] = int(n)
    return counts


def provenance_from(kind: str, algorithm) -> dict:
    """``origin``, ``model``, ``drawn`` and ``prompts`` of a segment whose SegmentAlgorithmType is
    ``kind`` and SegmentationAlgorithmIdentificationSequence ``algorithm`` (or ``None``)."""
    made: dict = {"origin": "human", "model": "", "drawn": False, "prompts": {}}
    if kind not in ("AUTOMATIC", "SEMIAUTOMATIC"):
        return made
    made["origin"] = "model" if kind == "AUTOMATIC" else "interactive"
    if not algorithm:
        return made
    item = algorithm[0]
    parameters = parameters_from_text(item.get("AlgorithmParameters", ""))
    version = "" if parameters.get("version") == "none" else str(item.get("AlgorithmVersion", ""))
    made["model"] = "@".join(filter(None, (str(item.get("AlgorithmName", "")), version)))
    if kind != "SEMIAUTOMATIC":
        return made
    if parameters.get("proposed_by") == "model":
        made["origin"] = "model"   # a model's mask a person corrected
    elif parameters.get("proposed_by") == "file":
        made["origin"] = "loaded"   # a label file's, refined with AI click (the model answered)
    made["drawn"] = parameters.get("drawn") == "yes"
    made["prompts"] = prompts_from_text(parameters.get("prompts", ""))
    if parameters.get("refined_by") == "AI click" and not made["prompts"]:
        made["prompts"] = {"AI click": 0}   # refined with AI click; its prompts not said
    return made


def proposing_equipment(model: str):
    """The model that proposed the mask (``NAME@VERSION``) as a SEG's ContributingEquipmentSequence
    item, which ``pacs.readers`` reads back as the reader's proposing model."""
    from pydicom.dataset import Dataset

    equipment = Dataset()
    equipment.Manufacturer = "neuroview"
    name, _, version = model.partition("@")
    equipment.ManufacturerModelName = name[:64]
    if version:
        equipment.SoftwareVersions = version[:64]
    purpose = Dataset()
    purpose.CodeValue, purpose.CodingSchemeDesignator = "109102", "DCM"
    purpose.CodeMeaning = "Processing Equipment"
    equipment.PurposeOfReferenceCodeSequence = [purpose]
    equipment.ContributionDescription = "proposed the mask that the reader corrected"
    return equipment
