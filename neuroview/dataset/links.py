"""Subjects and the private link file: the way back from a case's pseudonym to its source.

Case names are pseudonyms (``nv_0001``); images carry pixels and geometry only (see deid.py). The
link from a pseudonym back to its source (path, patient ID, study/series UIDs) is kept in a
private file *outside* the dataset folder, by default ``user_data_dir()/private-links/`` (see
:func:`default_links_path`): a dataset folder, or the folder holding it, is what people copy to a
training server or share, and the private folder of the user who made it never travels with it.
The same patient always gets the same subject pseudonym (``sub_0001``: :func:`subject_for`), so a
patient's cases stay in one fold. A reader's DICOM SEG named in an adjudicated case's provenance
gets a pseudonym too (``seg_...``: :func:`seg_pseudonym`), keyed by a secret of the link file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import uuid
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.errors import DatasetError, private_reason
from ..core.jsonfile import read_json
from ..core.safepath import safe_join
from ..core.volume import Volume
from ..paths import user_data_dir
from .layout import DatasetInfo


def default_links_path(info: DatasetInfo) -> Path:
    """The private pseudonym -> source file of a dataset, in the user's own data folder."""
    return safe_join(user_data_dir() / "private-links", f"{info.folder.name}-{info.uid}.json",
                     error=DatasetError, what="private link file")


def source_link(volume: Volume) -> dict:
    meta = volume.source_metadata
    keep = ("PatientID", "IssuerOfPatientID", "StudyInstanceUID", "SeriesInstanceUID",
            "AccessionNumber", "StudyDate")
    return {"source_path": os.path.abspath(volume.source_path) if volume.source_path else "",
            **{k: str(meta[k]) for k in keep if meta.get(k)}}


def read_links(path: Path) -> dict:
    if not path.exists():
        return {"cases": {}, "subjects": {}}
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:
        raise DatasetError(f"private link file is unreadable ({private_reason(exc)})", path=path) from None
    if not isinstance(data, dict):
        raise DatasetError("private link file is damaged (it is not a JSON object)", path=path)
    return data


def sent_from_links(path: Path) -> dict[str, str]:
    """Source file -> training case, from the private link file (``{}`` without one): the files
    sent as they are. A file whose ``cases`` is not an object of case records is a
    :class:`DatasetError` naming it, as one :func:`read_links` cannot read is."""
    cases = read_links(path).get("cases", {}) if path.exists() else {}
    if not isinstance(cases, dict) or not all(isinstance(c, dict) for c in cases.values()):
        raise DatasetError('private link file is damaged (its "cases" is not an object of case '
                           "records)", path=path)
    return {str(c.get("source_path", "")): case for case, c in cases.items()}


_SUBJECT = re.compile(r"^sub_(\d{4,})$")


def _subjects_in(folder: Path) -> set[str]:
    """The subject pseudonyms the dataset's cases carry (whoever added them)."""
    subjects = set()
    for path in (folder / "provenance").glob("*.json"):
        try:
            subjects.add(str(read_json(path).get("subject", "")))
        except (OSError, ValueError, AttributeError):
            continue   # an unreadable record is reported by list and repair, not here
    return subjects


def patient_key(source: dict) -> str:
    """PatientID, qualified by its IssuerOfPatientID when the header names one (HL7's
    ``ID^^^issuer``): one ID issued by two hospitals is two people, who were one subject."""
    patient, issuer = source.get("PatientID", ""), source.get("IssuerOfPatientID", "")
    return f"{patient}^^^{issuer}" if patient and issuer else patient


def subject_for(links: dict, patient_key: str, folder: Path) -> str:
    """Same patient -> same subject pseudonym (keeps a patient's cases in one fold). A new one
    is numbered after every subject of the dataset, not only those of this user's private link
    file: a second annotator (or a lost link file) started again at sub_0001, and unrelated
    patients then shared a subject, and so a fold. A key of a link file written before issuers
    were recorded (the PatientID alone) is taken by the first issuer of that ID seen since; a
    second issuer of it gets a subject of its own."""
    subjects = links.setdefault("subjects", {})
    if patient_key and patient_key in subjects:
        return subjects[patient_key]
    bare = patient_key.partition("^^^")[0]
    if bare != patient_key and bare in subjects and not any(
            k.startswith(f"{bare}^^^") for k in subjects):
        subjects[patient_key] = subjects[bare]
        return subjects[bare]
    taken = [int(m.group(1)) for m in map(_SUBJECT.match, {*subjects.values(), *_subjects_in(folder)}) if m]
    subject = f"sub_{max(taken, default=0) + 1:04d}"
    subjects[patient_key or f"unknown-{uuid.uuid4().hex}"] = subject
    return subject


def seg_pseudonym(links: dict, series_uid: str) -> str:
    """An opaque id of a reader's SEG series for a training set's provenance: ``seg_`` and 16 hex
    digits of HMAC-SHA256 of the SeriesInstanceUID, keyed by the link file's ``seg_secret`` (made
    the first time, kept in the private link file only). The same SEG gets the same id in every
    case added with this link file, two SEGs two ids; without the secret nobody can tell which
    UID an id stands for (a UID's root and time stamp are often guessable: a plain hash is not
    enough)."""
    secret = links.get("seg_secret")
    if not isinstance(secret, str) or len(secret) != 64:
        secret = links["seg_secret"] = secrets.token_hex(32)
    digest = hmac.new(bytes.fromhex(secret), series_uid.encode(), hashlib.sha256).hexdigest()
    return f"seg_{digest[:16]}"


_WHEN = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")
"""The day and time an unnamed reader's name holds (``unnamed: 2026-12-01 14:30``,
``app.unnamed_readers``): the SEG's ContentDate, a date of the patient's care."""


def private_adjudication(adjudication: dict | None, links: dict) -> dict | None:
    """The adjudication record as a training set keeps it: each reader's ``seg_series_uid`` (a
    DICOM UID of the patient's study on the PACS, which the dataset would carry to wherever it is
    copied) replaced by its ``seg`` pseudonym (:func:`seg_pseudonym`), which still tells the
    readers' SEGs apart; the SEG's ``created`` (ContentDate and time: when the patient was read)
    left out (readers are listed oldest first), and in the name of a reader who signed no SEG
    (``unnamed: 2026-12-01 14:30``) that day and time replaced by the pseudonym, there and in
    the lesions' ``taken_from``. Until session 35 all three were recorded as read."""
    if not isinstance(adjudication, dict) or not isinstance(adjudication.get("readers"), list):
        return adjudication
    readers, renamed = [], {}
    for reader in adjudication["readers"]:
        if isinstance(reader, dict):
            reader = dict(reader)
            reader.pop("created", None)
            if "seg_series_uid" in reader:
                reader["seg"] = seg_pseudonym(links, str(reader.pop("seg_series_uid")))
            name = reader.get("reader")
            if _dated_unnamed(name):
                renamed[name] = reader["reader"] = _WHEN.sub(reader.get("seg", "date left out"), name)
        readers.append(reader)
    lesions = [{**item, "taken_from": renamed[item["taken_from"]]}
               if isinstance(item, dict) and item.get("from_reader") and item.get("taken_from") in renamed
               else item for item in adjudication.get("lesions") or []]
    return {**adjudication, "readers": readers, "lesions": lesions}


def pseudonymise_old_records(folder: Path, links: dict) -> int:
    """Rewrite (atomically) each provenance record of ``folder`` written before session 35, whose
    adjudication names readers' SEGs by their UIDs, with :func:`private_adjudication`; returns how
    many. Called under the dataset's lock by ``store.add_case``; a record that cannot be read is
    left to ``dataset list`` to report."""
    done = 0
    for path in sorted((folder / "provenance").glob("nv_*.json")):
        try:
            data = read_json(path)
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and _named_as_read(data.get("adjudication")):
            data["adjudication"] = private_adjudication(data["adjudication"], links)
            write_text_atomic(path, json.dumps(data, indent=2) + "\n")
            done += 1
    return done


def _named_as_read(adjudication) -> bool:
    """An adjudication record as written before session 35 (SEG UIDs, dates)."""
    readers = adjudication.get("readers") if isinstance(adjudication, dict) else None
    return isinstance(readers, list) and any(
        isinstance(r, dict) and ("seg_series_uid" in r or "created" in r or _dated_unnamed(r.get("reader")))
        for r in readers)


def _dated_unnamed(name) -> bool:
    return isinstance(name, str) and name.startswith("unnamed: ") and bool(_WHEN.search(name))


def seg_uids(adjudication: dict | None) -> list[str]:
    """The readers' SEG series UIDs an adjudication record names (for the store's leak check)."""
    if not isinstance(adjudication, dict) or not isinstance(adjudication.get("readers"), list):
        return []
    return [str(r["seg_series_uid"]) for r in adjudication["readers"]
            if isinstance(r, dict) and r.get("seg_series_uid")]


def write_private(path: Path, links: dict) -> None:
    """The link file is 0600 from its first byte; an existing folder keeps its mode (it may be
    one the user chose, shared with other files); a folder made here for it is 0700."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, mode=0o700)
    write_text_atomic(path, json.dumps(links, indent=2) + "\n", mode=0o600)
