"""A patient's name typed as people write it (no server needed): what the server is asked, and
which names its answers must hold."""

from __future__ import annotations

import pytest

from neuroview.io.pacs.query import each_name, keep, split_query

NAMES = ["Doe^Jane", "DOE^JOHN", "Roe^Max", "Müller^Jörg", "Smith-Jones^Ann", "Doerr^Jane"]


def _found(typed: str, names=NAMES) -> list[str]:
    """The names of ``names`` (a server's answers) kept for ``typed``."""
    _, local = split_query({"PatientName": typed})
    return [a["PatientName"] for a in keep([{"PatientName": n} for n in names], local)]


@pytest.mark.parametrize("typed, found", [
    ("Doe Jane", ["Doe^Jane"]), ("Jane Doe", ["Doe^Jane"]), ("doe, jane", ["Doe^Jane"]),
    ("doer jane", ["Doerr^Jane"]), ("DOE", ["Doe^Jane", "DOE^JOHN"]), ("Doe^Jane", ["Doe^Jane"]),
    ("jane, doe", ["Doe^Jane"]), ("Jane^Doe", []),
    ("jo doe", ["DOE^JOHN"]), (" Doe  Ja ", ["Doe^Jane"]),
    ("DOE*", ["Doe^Jane", "DOE^JOHN", "Doerr^Jane"]), ("*jane", ["Doe^Jane", "Doerr^Jane"]),
    ("muller jorg", ["Müller^Jörg"]), ("Jörg Müller", ["Müller^Jörg"]), ("MULLER", ["Müller^Jörg"]),
    ("smith jones", ["Smith-Jones^Ann"]), ("*jones", ["Smith-Jones^Ann"]),
    ("*oe", ["Doe^Jane", "DOE^JOHN", "Roe^Max", "Doerr^Jane"]), ("doe j?hn", ["DOE^JOHN"]),
    ("*^Max", ["Roe^Max"]), ("^max", ["Roe^Max"]), ("jane", []), ("jones", []), ("ane", []), ("Doe Max", []),
    ("*", NAMES), ("  ", NAMES)])
def test_typed_names_find_what_people_expect(typed, found):
    """Every word typed begins a word of the name, one of them the name itself (the family name,
    as DICOM writes it first; a leading ``*``: anywhere); of those, the names holding the most
    words typed whole ("Doe Jane" listed Doerr^Jane until session 45)."""
    assert _found(typed) == found


def test_a_word_begun_is_kept_where_no_name_has_it_whole():
    assert _found("Doe Jane", ["Doerr^Jane", "Doe^Janet", "Roe^Jane"]) == ["Doerr^Jane", "Doe^Janet"]
    assert _found("DOE", ["Doerr^Jane", "Doering^Max"]) == ["Doerr^Jane", "Doering^Max"]


@pytest.mark.parametrize("typed, dimse, web", [
    ("Doe Jane", ["Doe*", "Jane*"], ["Doe*", "Jane*"]), ("doe, jo", ["jo*", "doe*"], ["jo*", "doe*"]),
    ("doe^jo", ["doe*"], ["doe*"]),
    ("DOE*", ["DOE*"], ["DOE*"]), ("Doe^Jane", ["Doe*"], ["Doe*"]), ("Do Doe", ["Do*"], ["Do*"]),
    ("Müller", ["Müller*"], ["M*"]), ("jörg müller", ["jörg*", "müller*"], ["j*", "m*"]),
    ("doe j?hn", ["j*", "doe*"], ["j*", "doe*"]), ("*oe", ["*oe*"], ["*oe*"]),
    ("*^Max", ["*Max*"], ["*Max*"]), ("^Max", ["*Max*"], ["*Max*"]),
    ("*müller", ["*müller*"], ["*ller*"]), ("Öz", ["Öz*"], ["*z*"]),
    ("*", [], []), ("  ", [], [])])
def test_the_server_is_asked_for_the_start_of_the_name(typed, dimse, web):
    """``WORD*`` for each word that may be the family name, which an archive finds from its index
    (``*Doe*``, a leading wildcard, until session 45); ``*run*`` only for a word to be found
    anywhere; DICOMweb in ASCII letters only (Orthanc's plugin finds nothing otherwise)."""
    for ascii_only, forms in ((False, dimse), (True, web)):
        server, _ = split_query({"PatientName": typed, "StudyDate": "2024-01-01"}, ascii_only)
        expected = [{"PatientName": form, "StudyDate": "20240101"} for form in forms]
        assert each_name(server) == (expected or [{"StudyDate": "20240101"}])
