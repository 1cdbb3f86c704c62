"""How the data folder's settings files name a series without its UID: a DICOM series' key
(``SeriesCandidate.key``: its SeriesInstanceUID, ``.N`` when split) is a marker of the patient's
study, which the data folder does not keep (README, *Security and privacy*), so ``recent.json``,
``overlays.json`` and ``saved-labels.json`` keep a SHA-256 digest of it, by which the series
is found again among those scanned."""

from __future__ import annotations

import hashlib


def series_digest(key: str) -> str:
    """The first 32 hex digits of the SHA-256 of ``key`` (a series' key or UID); "" for ""."""
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else ""
