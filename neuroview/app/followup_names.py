"""How the follow-up window and the report name each study: ``baseline`` and ``follow-up N``
(the CLI's and the window's numbering, as in ``lesions_tpN.csv``), followed by what tells the
study apart where it is known: the DICOM series description (``follow-up 1 (T1 MPRAGE)``), else
the name the caller gave the study when it is not the number.
The window named follow-ups by that name and the report by the number alone, so the same study
read ``t2`` in the window and ``follow-up 1`` in the report.

Never the file name, patient fields or dates: a file may be named after the patient, and a study
date is identifying (the report is a file people pass on; the order baseline, follow-up 1, 2...
already says which came first)."""

from __future__ import annotations


def study_detail(metadata: dict) -> str:
    """``"T1 MPRAGE"`` from a volume's ``source_metadata`` (DICOM SeriesDescription, else
    StudyDescription, as :func:`readable_description` gives it); empty when it holds neither. No
    date: see the module's note."""
    return readable_description(metadata.get("SeriesDescription") or metadata.get("StudyDescription"))


def readable_description(text) -> str:
    """A DICOM description as people read it: its ``^``-separated parts one space apart.
    Siemens scanners write a study's description as the exam tree's region and exam,
    ``Neuro^Head``; neuroview keeps the header's text as written (``Volume.source_metadata``), and
    the follow-up window and report named the study ``follow-up 1 (Neuro^Head)``."""
    return " ".join(str(text or "").replace("^", " ").split())


def study_label(number: int, study) -> str:
    """``baseline`` (``number`` 0) or ``follow-up N``, with the detail or own name of ``study``
    (a :class:`~neuroview.app.followup.StudyInput`)."""
    label = "baseline" if number == 0 else f"follow-up {number}"
    detail = study.detail or ("" if study.name in ("", label) else study.name)
    return f"{label} ({detail})" if detail else label


def study_labels(baseline, laters: list) -> list[str]:
    """The baseline's label, then each later study's."""
    return [study_label(number, study) for number, study in enumerate([baseline, *laters])]
