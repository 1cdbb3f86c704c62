"""A folder or DICOMDIR holding several studies of a patient (today's and a prior, as a CD from
another hospital holds them) lists each study's series together, the newest study first as a
PACS study list shows them, each study's series by number. Until session 49 they were listed by
series number alone: the prior's T1 beside today's, the two studies' series interleaved, told
apart only by the line under each (``study MR BRAIN 2026-11-01``)."""

from __future__ import annotations

import re

DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
"""The date that ends a study's text (``fields.study_text``: ``"MR BRAIN 2026-11-01"``)."""


def _newest_first(studies: list[str]) -> list[str]:
    """``studies`` (their texts, in first-listed order) the newest first; undated ones after
    the dated, as first listed."""
    dated = [s for s in studies if DATE.search(s)]
    undated = [s for s in studies if not DATE.search(s)]
    return sorted(dated, key=lambda s: DATE.search(s).groups(), reverse=True) + undated


def group_studies(plans: list, patients: list[str]) -> None:
    """Sort ``plans`` (listed by series number; each patient's together where ``patients``, the
    patients as first listed, holds several) so that each study's series lie together, in
    place."""
    studies = _newest_first(list(dict.fromkeys(plan.first.study for plan in plans)))
    if len(studies) < 2:
        return
    plans.sort(key=lambda p: (patients.index(p.first.patient) if p.first.patient in patients
                              else len(patients), studies.index(p.first.study)))
