"""Measurements of models on a dataset's held-out split, kept beside the registry's settings
(``measurements.json`` next to ``models.json``, written atomically), so that ``models promote B
--dataset D`` after ``models compare A B --dataset D`` does not run both models again.

A measurement is reused only while everything it depends on is the same by hash: the model's
files (every file of its package, or its model file), the dataset's content
(``finetune.dataset_hash``: dataset.json and every image and label file, so one label file
changed measures again), the body part and modality each case's provenance record keeps (what
a card refuses a case by, :func:`headers_digest`: since session 52), the device type and
neuroview's version, and while its lesion-wise figures were counted with today's detection rule
(:data:`metrics.LESION_RULE`). Figures only, no paths: the key holds digests.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .. import __version__
from ..core.atomic import write_text_atomic
from ..core.settings_file import read_setting
from .metrics import LESION_RULE, empty_cases_scored_one, lesion_rule

MAX_KEPT = 200
_CHUNK = 1 << 20


def _hash_file(digest, path: Path) -> None:
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)


def model_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a model package (each file's relative name and bytes) or of a model file."""
    path = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(os.fspath(file.relative_to(path) if path.is_dir() else file.name).encode() + b"\0")
        _hash_file(digest, file)
    return digest.hexdigest()


def headers_digest(cases) -> str:
    """SHA-256 of what decides a card's refusal of each case besides its voxels: its name and
    the body part and modality its provenance record keeps (``finetune.DatasetCase``): a case
    whose record now says KNEE is refused by a head model, and a measurement that scored it is
    not the one to reuse (``dataset_hash`` covers the image and label files only)."""
    said = [[case.name, case.body_part, case.modality] for case in cases]
    return hashlib.sha256(json.dumps(said).encode()).hexdigest()


def measurement_key(model_sha: str, dataset_sha: str, device: str, headers_sha: str) -> str:
    return f"{model_sha}:{dataset_sha}:{headers_sha}:{device}:{__version__}"


def measured_now() -> str:
    """The time a measurement is kept with: now, UTC, ISO 8601 with seconds."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class MeasurementStore:
    """``measurements.json`` in the registry's home: key -> ``{"ref", "dice", "lesionwise",
    "measured_at"}``, the :data:`MAX_KEPT` written last. ``measured_at`` is UTC, ISO 8601
    (``2026-12-05T17:28:04Z``; ``2026-12-05 17:28 UTC`` until session 34: read too, by
    ``app.shown_time``, which shows either in local time)."""

    def __init__(self, home: str | os.PathLike) -> None:
        self.path = Path(home) / "measurements.json"

    def _read(self) -> dict:
        return read_setting(self.path, "models are measured again", lambda d: isinstance(d, dict),
                            "a JSON object", max_bytes=64 << 20) or {}

    def get(self, key: str) -> Optional[dict]:
        item = self._read().get(key)
        if (isinstance(item, dict) and isinstance(item.get("dice"), list)
                and isinstance(item.get("lesionwise"), dict)
                and lesion_rule(item["lesionwise"]) == LESION_RULE   # else counted another way
                and not empty_cases_scored_one(item["lesionwise"])   # kept before session 40
                and isinstance(item.get("refused"), dict)):   # before 52 it scored a knee too
            return item
        return None

    def put(self, key: str, ref: str, dice, lesionwise: dict, refused: Optional[dict] = None) -> None:
        """Keep one measurement (a write that fails only loses the reuse); ``refused``: the cases
        the model's card refused, not scored."""
        data = self._read()
        data.pop(key, None)
        data[key] = {"ref": ref, "dice": [None if d is None else float(d) for d in dice],
                     "lesionwise": lesionwise, "refused": dict(refused or {}),
                     "measured_at": measured_now()}
        kept = dict(list(data.items())[-MAX_KEPT:])
        try:
            write_text_atomic(self.path, json.dumps(kept, default=float))
        except OSError:
            pass


__all__ = ["MeasurementStore", "measured_now", "measurement_key", "model_digest"]
