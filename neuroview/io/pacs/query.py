"""What a user types in a search field, made into what a DICOM server matches.

* Dates: ``2024-01-01``, ``20240101``, ``2024-01-01 - 2024-12-31``, ``20240101-``, ``-20241231``
  become DICOM date ranges (``20240101-20241231``).
* Descriptions: DICOM matches them case-sensitively (Orthanc does), so ``*brain*`` would miss
  "Brain MRI". Description filters are applied here instead, case-insensitively, with the same
  ``*`` and ``?`` wildcards, on what the server returns for the other filters.
* Modalities: ``MR, CT`` (as the field suggests; also ``mr ct``, ``MR\\CT``) become DICOM's list
  ``MR\\CT``: a study with any of them matches. QIDO-RS writes the list with commas
  (:func:`web_value`).
* Names as people type them ("Doe Jane", "jane doe", "DOE", "Muller"): :mod:`.names`, one
  search for each form the server is asked (``Doe*``, ``Jane*``; :func:`each_name`), their answers
  joined (:func:`joined`). For DICOMweb the server is asked only for letters in ASCII and never a
  ``^`` (``ascii_only``): Orthanc's DICOMweb plugin (1.10) finds nothing for ``Mü*`` or
  ``Doe^Jane`` (``PatientName=M%C3%BC*``) where its C-FIND finds "Müller^Jörg" and "Doe^Jane".
* Other values for DICOMweb (a patient ID ``ÄB/12 3``): what a URL carries percent-encoded is
  asked as ``*`` (:func:`web_sendable`) and the whole value matched here, case-sensitively.
"""

from __future__ import annotations

import datetime
import json
import re

from .config import PacsError
from .names import NameMatch, server_names

NAME_KEYS = ("PatientName",)
DATE_KEYS = ("StudyDate", "SeriesDate", "PatientBirthDate")
DESCRIPTION_KEYS = ("StudyDescription", "SeriesDescription")
MODALITY_KEYS = ("ModalitiesInStudy", "Modality")
_MODALITY = re.compile(r"[A-Z0-9_*?]{1,16}")
_UNSENT = re.compile(r"[^A-Za-z0-9._~*?-]+")
"""What a URL's query carries percent-encoded (``requests``: all but these; a space as ``+``)."""
_DATE = re.compile(r"(\d{4})[-./]?(\d{2})[-./]?(\d{2})")


def date_query(text: str, label: str = "study date") -> str:
    """A DICOM date or date range from what the user typed; raises :class:`PacsError` if unreadable."""
    text = text.strip()
    dates = ["".join(m.groups()) for m in _DATE.finditer(text)]
    rest = _DATE.sub("", text).replace(" ", "").replace("to", "-")
    if not dates or len(dates) > 2 or rest not in ("", "-") or (len(dates) == 2 and rest != "-"):
        raise PacsError(f"{label} {text!r}: write a day (2024-01-31) or a range "
                        "(2024-01-01 - 2024-12-31; open ends as 2024-01-01- or -2024-12-31)")
    for day in dates:   # 2024-13-45 went to the server as 20241345 and matched nothing
        try:
            datetime.date(int(day[:4]), int(day[4:6]), int(day[6:]))
        except ValueError:
            raise PacsError(f"{label} {text!r}: {day[:4]}-{day[4:6]}-{day[6:]} is not a day of "
                            "the calendar") from None
    if len(dates) == 2:
        return f"{dates[0]}-{dates[1]}"
    if rest == "-":
        return f"{dates[0]}-" if text.endswith("-") else f"-{dates[0]}"
    return dates[0]


def modality_query(text: str) -> str:
    """DICOM's list of modalities (``MR\\CT``) from what the user typed (``MR, CT``); raises
    :class:`PacsError` for what is no modality code. Sent as typed, ``MR, CT`` matched nothing."""
    codes = [code for code in re.split(r"[\s,;\\]+", text.strip().upper()) if code]
    wrong = [code for code in codes if not _MODALITY.fullmatch(code)]
    if wrong:
        raise PacsError(f"modality {text.strip()!r}: {wrong[0]!r} is no modality code; write codes "
                        "such as MR, or several as MR, CT")
    return "\\".join(dict.fromkeys(codes))


def web_value(key: str, value):
    """``value`` of a search filter as QIDO-RS takes it: DICOM's list ``MR\\CT`` as ``MR,CT``
    (PS3.18 8.3.4.1; so Orthanc's DICOMweb plugin reads it)."""
    return str(value).replace("\\", ",") if key in MODALITY_KEYS else value


def wildcard(pattern: str, ignore_case: bool = True) -> re.Pattern:
    """A DICOM wildcard pattern (``*``, ``?``) as a regular expression (case-insensitive unless
    ``ignore_case`` is false)."""
    body = re.escape(pattern.strip()).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(f"^{body}$", (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def web_sendable(value: str) -> str:
    """``value`` (a patient ID, an accession number) as the server is asked for it by DICOMweb:
    each run of characters a URL carries percent-encoded (``%C3%84``, ``+`` for a space, ``%2F``)
    as ``*``. Orthanc's DICOMweb plugin (1.10) matches them undecoded: ``PatientID=%C3%84B*``
    found nothing where its C-FIND found ``ÄB/12 3*?``. The whole value is matched here
    (:func:`split_query`)."""
    return re.sub(r"\*+", "*", _UNSENT.sub("*", value.strip()))


def split_query(query: dict, ascii_only: bool = False) -> tuple[dict, dict[str, re.Pattern]]:
    """``query`` for the server (dates normalised, descriptions left out, a name as the list of
    forms it is asked, :func:`each_name`) and the description and name filters to apply to its
    answers. ``ascii_only``: names asked in ASCII letters only (DICOMweb, :mod:`.names`)."""
    server, local = {}, {}
    for key, value in query.items():
        if value in (None, ""):
            continue
        if key in DATE_KEYS:
            server[key] = date_query(str(value), re.sub(r"(?<!^)([A-Z])", r" \1", key).lower())
        elif key in MODALITY_KEYS:
            if modality_query(str(value)):
                server[key] = modality_query(str(value))
        elif key in NAME_KEYS:
            local[key] = NameMatch(str(value))
            if server_names(str(value), ascii_only):
                server[key] = server_names(str(value), ascii_only)
        elif key in DESCRIPTION_KEYS:
            if str(value).strip() not in ("*", ""):  # '*' matches everything: no filter at all
                local[key] = wildcard(str(value))
        elif ascii_only and isinstance(value, str) and _UNSENT.search(value.strip()):
            local[key] = wildcard(value, ignore_case=False)   # DICOM matches IDs case-sensitively
            if web_sendable(value).strip("*"):
                server[key] = web_sendable(value)
        else:
            server[key] = value
    return server, local


class Matches(list):
    """The answers of a search; ``more`` when the server had more than the search's ``limit`` and
    was asked to stop (a C-FIND answering 100,000 studies took over an hour to list, 3,000 took
    157 s, with the window searching the series of each)."""

    more = False
    answered = 0
    """How many answers the server returned, before neuroview's own filters (names, descriptions)
    left some out: a ``limit`` counts these."""
    left_out: tuple[str, ...] = ()
    """Answers left out, in words (``1 study without StudyInstanceUID``)."""


def keep(answers: list[dict], filters: dict[str, re.Pattern]) -> Matches:
    """The answers every filter matches; a name filter keeps, of them, the closest names
    (:meth:`.names.NameMatch.among`)."""
    filters = {key: (pattern.among(str(a.get(key, "")) for a in answers)
                     if isinstance(pattern, NameMatch) else pattern) for key, pattern in filters.items()}
    kept = Matches(a for a in answers if all(p.match(str(a.get(k, ""))) for k, p in filters.items()))
    kept.more = getattr(answers, "more", False)
    kept.answered = len(answers)
    return kept


def each_name(server: dict) -> list[dict]:
    """The searches of ``server`` (:func:`split_query`): one for each form of its name."""
    forms = {key: server[key] for key in NAME_KEYS if key in server}
    searches = [dict(server)]
    for key, values in forms.items():
        searches = [{**search, key: value} for search in searches for value in values]
    return searches


def joined(parts: list[Matches], limit: int | None = None) -> Matches:
    """The answers of the searches of one query (:func:`each_name`), each once; at most ``limit``
    (``more`` set when any search had more, or they have more together)."""
    if len(parts) == 1:
        return parts[0]
    out, seen = Matches(), set()
    for part in parts:
        for answer in part:
            key = json.dumps(answer, sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(answer)
    out.more = any(part.more for part in parts)
    if limit is not None and len(out) > limit:
        del out[limit:]
        out.more = True
    return out
