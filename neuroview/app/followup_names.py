"""How the follow-up window and the report name each study: ``baseline`` and ``follow-up N``
(the CLI's and the window's numbering, as in ``lesions_tpN.csv``), followed by what tells the
study apart where it is known: the DICOM study date and series description (``follow-up 1
(2026-03-02, T1 MPRAGE)``), else the name the caller gave the study when it is not the number.
The window named follow-ups by that name and the report by the number alone, so the same study
read ``t2`` in the window and ``follow-up 1`` in the report.

Never the file name nor patient fields: a file may be named after the patient."""

from __future__ import annotations


def study_detail(metadata: dict) -> str:
    """``"2026-03-02, T1 MPRAGE"`` from a volume's ``source_metadata`` (DICOM StudyDate, else
    SeriesDate; SeriesDescription, else StudyDescription); empty when it holds neither."""
    day = str(metadata.get("StudyDate") or metadata.get("SeriesDate") or "").strip()
    if len(day) == 8 and day.isdigit():
        day = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    what = str(metadata.get("SeriesDescription") or metadata.get("StudyDescription") or "").strip()
    return ", ".join(part for part in (day, what) if part)


def study_label(number: int, study) -> str:
    """``baseline`` (``number`` 0) or ``follow-up N``, with the detail or own name of ``study``
    (a :class:`~neuroview.app.followup.StudyInput`)."""
    label = "baseline" if number == 0 else f"follow-up {number}"
    detail = study.detail or ("" if study.name in ("", label) else study.name)
    return f"{label} ({detail})" if detail else label


def study_labels(baseline, laters: list) -> list[str]:
    """The baseline's label, then each later study's."""
    return [study_label(number, study) for number, study in enumerate([baseline, *laters])]
