"""A model card's ``metrics``, checked for the shapes neuroview formats and compares.

``models list``, ``show``, ``promote``, ``compare`` and the Models dialog print and subtract these
figures; a card from elsewhere whose held-out Dice is text or a list was an internal error in all
of them (one such card in the registry broke ``models list`` for every model). Keys neuroview
does not read are left as they are.
"""

from __future__ import annotations

import math

from ..core.errors import ModelError
from ..core.jsonfile import said_json

DICE_KEYS = ("held_out_dice", "validation_dice", "other_brain_dice")
LESIONWISE_KEYS = ("held_out_lesionwise", "other_brain_lesionwise")
LESIONWISE_NUMBERS = ("dice", "sensitivity", "false_positives_per_case", "f1", "precision")
LESIONWISE_COUNTS = ("cases", "lesions", "found", "dice_cases", "f1_cases")


def _number(value) -> bool:
    """A number neuroview can print, compare and write as JSON: NaN and infinity (1e999) are
    none (``models list --json`` printed them as ``NaN``, which no JSON reader takes)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        (isinstance(value, int) or math.isfinite(value))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _problem(metrics) -> str:
    """What is wrong with ``metrics`` ('' when nothing neuroview reads is)."""
    if not isinstance(metrics, dict):
        return "metrics is not a JSON object"
    for key in DICE_KEYS:
        if key in metrics and not _dice(metrics[key]):
            return f"metrics.{key} must map label names to numbers (or null: not measured)"
    for key in LESIONWISE_KEYS:
        if key in metrics and metrics[key] is not None and not _lesionwise(metrics[key]):
            return (f"metrics.{key} must hold numbers ({', '.join(LESIONWISE_NUMBERS[:4])}...) and "
                    f"counts ({', '.join(LESIONWISE_COUNTS)})")
    if metrics.get("held_out_cases") is not None and not _whole(metrics["held_out_cases"]):
        return "metrics.held_out_cases must be a whole number"
    split = metrics.get("held_out_split")
    if split is not None and not isinstance(split, str):
        return "metrics.held_out_split must be text"
    base = metrics.get("base_held_out")
    if base is not None and not (isinstance(base, dict) and isinstance(base.get("ref", ""), str)
                                 and _dice(base.get("dice", {}))
                                 and (base.get("lesionwise") is None or _lesionwise(base["lesionwise"]))):
        return "metrics.base_held_out must hold a model ref, Dice numbers and lesion-wise numbers"
    tests = metrics.get("test_objects")
    if tests is not None and not (isinstance(tests, dict) and all(
            _number(v) or v is None for k, v in tests.items() if k.startswith("dice") or k == "objects")):
        return "metrics.test_objects must hold numbers (objects, dice_1_click...)"
    return ""


def _dice(value) -> bool:
    """Dice per label: numbers, or None for a label no held-out case holds (not measured)."""
    return isinstance(value, dict) and all(_number(v) or v is None for v in value.values())


def _lesionwise(value) -> bool:
    if not isinstance(value, dict):
        return False
    if not all(_number(value[k]) or value[k] is None for k in LESIONWISE_NUMBERS if k in value):
        return False
    if not all(_whole(value[k]) or value[k] is None for k in LESIONWISE_COUNTS if k in value):
        return False
    by_size = value.get("by_size")
    return by_size is None or isinstance(by_size, dict) and all(
        isinstance(row, dict) and all(_number(v) or v is None for v in row.values())
        for row in by_size.values())


def check_metrics(metrics, source: str = "") -> None:
    """ModelError naming ``source`` when ``metrics`` holds a figure neuroview cannot read."""
    problem = _problem(metrics)
    if problem:
        raise ModelError(f"model card's {problem}", path=source or None)


def card_field(data: dict, key: str, convert, what: str, source: str = ""):
    """``convert(data[key])`` for a field that must be a JSON list; a value it cannot take is one
    line naming the field and what belongs there (Python's words were the reason: "'int' object
    is not iterable", "list indices must be integers or slices, not str")."""
    value = data[key]
    try:
        if not isinstance(value, list):
            raise TypeError(key)
        return convert(value)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):   # int(inf): Overflow
        raise ModelError(f"model card's {key} must be {what}, not {said_json(value)}",
                         path=source or None) from None


DOMAIN_KEYS = ("modalities", "body_parts")
"""A card's ``domain``: DICOM Modality values (MR, CT) and BodyPartExamined words (HEAD, KNEE)."""


def checked_domain(value, source: str = "") -> dict:
    """A card's ``domain`` with its words in upper case; a key neuroview does not read
    (``body_part``: a misspelt key would leave the model unchecked) or a value that is not a list
    of words is one line naming the field."""
    if value is None:
        return {}
    what = 'a JSON object such as {"modalities": ["MR"], "body_parts": ["HEAD"]}'
    if not isinstance(value, dict) or any(key not in DOMAIN_KEYS for key in value):
        raise ModelError(f"model card's domain must be {what}, not {said_json(value)}",
                         path=source or None)
    for key, words in value.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ModelError(f"model card's domain.{key} must be a list of words, not "
                             f"{said_json(words)}", path=source or None)
    return {key: [w.strip().upper() for w in words] for key, words in value.items()}
