"""A patient's name typed as people write it (no server needed): what the server is asked, and
which names its answers must hold."""

from __future__ import annotations

import pytest

from neuroview.io.pacs.names import NameMatch, server_name
from neuroview.io.pacs.query import keep, split_query, web_names

NAMES = ["Doe^Jane", "DOE^JOHN", "Roe^Max", "Müller^Jörg", "Smith-Jones^Ann", "Doerr^Jane"]


@pytest.mark.parametrize("typed, found", [
    ("Doe Jane", ["Doe^Jane", "Doerr^Jane"]), ("Jane Doe", ["Doe^Jane", "Doerr^Jane"]),
    ("doe, jane", ["Doe^Jane", "Doerr^Jane"]), ("doer jane", ["Doerr^Jane"]),
    ("DOE", ["Doe^Jane", "DOE^JOHN", "Doerr^Jane"]), ("Doe^Jane", ["Doe^Jane", "Doerr^Jane"]),
    ("jo doe", ["DOE^JOHN"]),
    ("DOE*", ["Doe^Jane", "DOE^JOHN", "Doerr^Jane"]), ("jane", ["Doe^Jane", "Doerr^Jane"]),
    ("muller jorg", ["Müller^Jörg"]), ("Jörg Müller", ["Müller^Jörg"]), ("jones", ["Smith-Jones^Ann"]),
    ("*oe", ["Doe^Jane", "DOE^JOHN", "Roe^Max", "Doerr^Jane"]), ("j?hn", ["DOE^JOHN"]),
    ("ane", []), ("Doe Max", []), ("*", NAMES), ("  ", NAMES)])
def test_typed_names_find_what_people_expect(typed, found):
    assert [n for n in NAMES if NameMatch(typed).match(n)] == found


@pytest.mark.parametrize("typed, dimse, web", [
    ("Doe Jane", "*Jane*", "*Jane*"), ("doe, jo", "*doe*", "*doe*"), ("DOE*", "*DOE*", "*DOE*"),
    ("Doe^Jane", "*Jane*", "*Jane*"), ("Müller", "*Müller*", "*ller*"), ("j?hn", "*hn*", "*hn*"),
    ("*", "", ""), ("Jö", "*Jö*", "*J*"), ("ö", "*ö*", "")])
def test_the_server_is_asked_for_the_longest_run_of_letters(typed, dimse, web):
    server, local = split_query({"PatientName": typed})
    assert server == ({"PatientName": dimse} if dimse else {})
    assert web_names(server, local)[0] == ({"PatientName": web} if web else {})
    assert server_name(typed, ascii_only=True) == web


def test_answers_are_kept_by_every_word_typed():
    """Every word begins a word of the name (``Doe^Jane*`` as DICOM would write it, in any order)."""
    _, local = split_query({"PatientName": "jane DOE"})
    answers = [{"PatientName": n} for n in NAMES] + [{}]
    assert keep(answers, local) == [{"PatientName": "Doe^Jane"}, {"PatientName": "Doerr^Jane"}]
