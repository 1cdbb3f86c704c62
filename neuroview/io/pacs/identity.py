"""Whose images a retrieval received: the patient a server's query answers for the study asked
for, checked against every instance that arrives.

A mis-configured or hostile server may answer a C-GET, C-MOVE or WADO-RS of the right study and
series UIDs with files of another patient (its index and its files disagree, or two patients share
a study UID on it). Cached as the series asked for, they would be opened as that patient's. The
study's query answer is the reference; without one there, the first instance received is, so the
instances at least agree among themselves. Nothing here names the patient: the caller's error
names the series.
"""

from __future__ import annotations

IDENTITY_TAGS = ("PatientID", "PatientName")
"""What says whose an instance is (the study and series UIDs are checked by :func:`.payload.foreign`)."""
OTHER_PATIENT = "another patient"
"""How :func:`.payload.foreign` starts for an instance of another patient than the study's."""


def hint_for(foreign: str) -> str:
    """What to do about a refused series (:func:`.payload.foreign`'s words): a server whose index
    and files disagree on the patient is for its administrator to check (a merge of two patients
    whose files were left as they were does this too)."""
    return ("the server's index and its files disagree on the patient: its administrator can check "
            "the study" if foreign.startswith(OTHER_PATIENT) else "")


def _name(value) -> str:
    """A person name as compared: its alphabetic group (before the first ``=``: servers keep the
    ideographic and phonetic groups or drop them), trailing empty components and case left out."""
    text = str(value or "").split("=", 1)[0].strip()
    return "^".join(part.strip() for part in text.split("^")).rstrip("^").casefold()


def identity_of(answer) -> dict[str, str]:
    """The identity of a query answer (a dict) or a dataset: PatientID and PatientName, as compared."""
    return {"PatientID": str(answer.get("PatientID", "") or "").strip(),
            "PatientName": _name(answer.get("PatientName", ""))}


class StudyIdentity:
    """The patient of the study being retrieved: set from the study's query answers
    (:meth:`answered`), else from the first instance that arrives."""

    def __init__(self) -> None:
        self.expected: dict[str, str] | None = None

    def answered(self, answers, study_uid: str) -> str:
        """Take the server's STUDY-level answers for ``study_uid``; ``""``, or why the study
        cannot be retrieved safely (the server lists it under several patients)."""
        found = [identity_of(a) for a in answers if str(a.get("StudyInstanceUID", study_uid)) == study_uid]
        ids = {one["PatientID"] for one in found} - {""}
        if len(ids) > 1:
            return f"its query lists the study under {len(ids)} patients"
        if found:
            self.expected = found[0]
        return ""

    def differs(self, ds) -> str:
        """``""``, or what makes ``ds`` another patient's than the study's: the attribute keyword
        (never its value)."""
        got = identity_of(ds)
        if self.expected is None:
            self.expected = got
            return ""
        for keyword in IDENTITY_TAGS:
            if self.expected[keyword] and got[keyword] != self.expected[keyword]:
                return keyword
            if not self.expected[keyword] and got[keyword]:   # the query said none: the first file did
                self.expected[keyword] = got[keyword]
        return ""
