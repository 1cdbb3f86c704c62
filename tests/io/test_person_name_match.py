"""Which reader a typed name names (``pacs adjudicate --take``), and how readers' names are shown."""

from __future__ import annotations

from neuroview.io.dicom.person_name import named, shown_names

READERS = ["Smith^Ann", "Jones^Bob", "Van der Berg-Oliveira^Maria Theresa^^Dr.", "=山田^太郎"]


def test_any_spelling_names_one_reader():
    for typed in ("Ann Smith", "Smith, Ann", "Smith^Ann", "smith^ann^^", "  ann   SMITH "):
        assert named(typed, READERS) == ["Smith^Ann"], typed
    assert named("Dr. Maria Theresa Van der Berg-Oliveira", READERS) == [READERS[2]]
    assert named("山田 太郎", READERS) == ["=山田^太郎"]
    assert named("Ann Jones", READERS) == [] and named("Ann", READERS) == []


def test_two_spellings_of_one_person_stay_apart_when_shown():
    """An old SEG's ``Ann Smith`` beside a new ``Smith^Ann``: shown as stored, each taken as written,
    any other spelling names both (the caller says so)."""
    readers = ["Smith^Ann", "Ann Smith", "Jones^Bob"]
    assert shown_names(readers) == {"Smith^Ann": "Smith^Ann", "Ann Smith": "Ann Smith",
                                    "Jones^Bob": "Bob Jones"}
    assert named("Ann Smith", readers) == ["Ann Smith"] and named("Smith^Ann", readers) == ["Smith^Ann"]
    assert named("Smith, Ann", readers) == ["Smith^Ann", "Ann Smith"]
    assert shown_names(READERS)["Van der Berg-Oliveira^Maria Theresa^^Dr."] == \
        "Dr. Maria Theresa Van der Berg-Oliveira"
