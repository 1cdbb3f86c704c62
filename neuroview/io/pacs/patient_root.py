"""Servers that offer Patient Root query/retrieve and no Study Root (some older archives): they were
reported as store-only and never searched.

Patient Root goes down DICOM's hierarchy as the standard has it: the patients matching (PATIENT
level), then each one's studies (STUDY level, naming its PatientID); a study's series and a
retrieval name the study's PatientID too. The PatientID of a study is remembered from the search
that found it (then come its series, then its retrieval); a study not found so is asked by its UID
alone, which many archives answer and strict ones refuse: said in one line (:func:`unknown`).
"""

from __future__ import annotations

from .association import where
from .config import PacsError, QueryRefused, ServerConfig
from .query import Matches

PATIENT_KEYS = ("PatientName", "PatientID", "PatientBirthDate")
"""The keys of a search that are the patient's: asked at PATIENT level."""
_REMEMBERED = 100_000
"""Studies whose patient is remembered at most (the oldest forgotten first)."""
_PATIENTS: dict[tuple[str, str], str] = {}


def accepted(assoc, models: list):
    """The first of ``models`` (SOP classes) the server accepted a context for, or None."""
    taken = {str(context.abstract_syntax) for context in assoc.accepted_contexts}
    return next((model for model in models if str(model) in taken), None)


def _server(config: ServerConfig) -> str:
    return f"{config.called_aet}@{config.host}:{config.port}"


def remember(config: ServerConfig, answers) -> None:
    """Keep the PatientID of each study of ``answers`` (STUDY level) for its series and retrieval."""
    for answer in answers:
        if answer.get("StudyInstanceUID") and answer.get("PatientID"):
            _PATIENTS[(_server(config), answer["StudyInstanceUID"])] = answer["PatientID"]
    while len(_PATIENTS) > _REMEMBERED:
        del _PATIENTS[next(iter(_PATIENTS))]


def remembered(config: ServerConfig, study_uid: str) -> str | None:
    return _PATIENTS.get((_server(config), study_uid))


def unknown(config: ServerConfig, study_uid: str) -> PacsError:
    return PacsError(f"{where(config)} offers Patient Root query/retrieve only, which needs the patient "
                     f"of study {study_uid}, and does not say it for the study's UID alone: search "
                     "for the study first (by patient name or ID)")


def find(run, level: str, query: dict, limit: int | None, config: ServerConfig) -> Matches:
    """The matches of ``query`` at STUDY or SERIES level, by Patient Root C-FINDs:
    ``run(level, query, limit)`` makes one and returns its matches. A search with no patient key
    (a date, a modality) goes through the first ``limit`` patients."""
    if level == "SERIES":
        study_uid = query.get("StudyInstanceUID", "")
        if query.get("PatientID") or not study_uid:   # (a series by its UID alone: as asked)
            return run("SERIES", query, limit)
        patient = patient_of(run, config, study_uid)
        return run("SERIES", {**query, "PatientID": patient}, limit) if patient else Matches()
    wanted = {key: query[key] for key in PATIENT_KEYS if query.get(key)}
    studies = {key: value for key, value in query.items() if key not in PATIENT_KEYS}
    if not wanted and studies.get("StudyInstanceUID"):   # one study: its patient, not every one
        patient = patient_of(run, config, studies["StudyInstanceUID"])
        return run("STUDY", {**studies, "PatientID": patient}, limit) if patient else Matches()
    exact_id = wanted.get("PatientID", "")
    if list(wanted) == ["PatientID"] and not any(c in exact_id for c in "*?"):
        patients = Matches([{"PatientID": exact_id}])
    else:
        patients = run("PATIENT", wanted, limit)
    found = Matches()
    found.more = patients.more
    for patient in patients:
        left = None if limit is None else limit - len(found)
        if left == 0:
            found.more = True
            break
        part = run("STUDY", {**studies, "PatientID": patient.get("PatientID", "")}, left)
        for study in part:   # the patient's name, where the study level does not say it
            study["PatientName"] = study.get("PatientName") or patient.get("PatientName", "")
        found.extend(part)
        found.more = found.more or part.more
    return found


def patient_of(run, config: ServerConfig, study_uid: str) -> str | None:
    """The PatientID of ``study_uid``: remembered, or asked by a STUDY-level C-FIND of its UID
    (``run`` as for :func:`find`); None when the server has no such study."""
    patient = remembered(config, study_uid)
    if patient:
        return patient
    try:
        answers = run("STUDY", {"StudyInstanceUID": study_uid}, None)
    except QueryRefused:
        raise unknown(config, study_uid) from None
    if not answers:
        return None
    remember(config, answers)
    patient = remembered(config, study_uid)
    if not patient:
        raise unknown(config, study_uid)
    return patient
