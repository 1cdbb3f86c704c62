"""What a C-FIND sends for a name typed as people type it: ``WORD*`` for each word that may be the
family name (an archive's index finds those), never ``*WORD*`` (sent until session 45: a leading
wildcard, which some large archives answer by reading every name), and the names listed are the
closest (Doerr^Jane was listed for "Doe Jane")."""

from __future__ import annotations

import fnmatch

import pytest
from fake_qr import start_qr_scp
from pydicom.dataset import Dataset

from neuroview.io.pacs import ServerConfig, find

NAMES = ["Doe^Jane", "Doerr^Jane", "Jane^Max", "Roe^Max", "Müller^Jörg"]


@pytest.fixture(scope="module")
def archive():
    """A Q/R SCP matching names as DICOM does (``*``, ``?``), regardless of case and accents
    as some archives do; yields (config, asked): the names each C-FIND asked for."""
    asked: list[str] = []

    def on_find(event):
        pattern = str(event.identifier.PatientName)
        asked.append(pattern)
        for number, name in enumerate(NAMES):
            plain = name.replace("ü", "u").replace("ö", "o").casefold()
            if pattern and not fnmatch.fnmatchcase(plain, pattern.casefold()):
                continue
            answer = Dataset()
            answer.QueryRetrieveLevel = "STUDY"
            answer.SpecificCharacterSet = "ISO_IR 192"
            answer.PatientName, answer.PatientID = name, f"P{number}"
            answer.StudyInstanceUID = f"1.2.826.0.1.3680043.2.1125.92.{number}"
            yield 0xFF00, answer

    server, port = start_qr_scp("NAMEPACS", on_find, None, None)
    yield ServerConfig(name="names", host="127.0.0.1", port=port, called_aet="NAMEPACS",
                       calling_aet="NEUROVIEW", timeout=20), asked
    server.shutdown()


@pytest.mark.parametrize("typed, asked, found", [
    ("Doe Jane", ["Doe*", "Jane*"], ["Doe^Jane"]),
    ("jane doe", ["doe*", "jane*"], ["Doe^Jane"]),
    ("doe, jane", ["doe*", "jane*"], ["Doe^Jane"]),
    ("Doe^Jane", ["Doe*"], ["Doe^Jane"]),
    ("DOE", ["DOE*"], ["Doe^Jane"]),
    ("muller", ["muller*"], ["Müller^Jörg"]),
    ("*ax", ["*ax*"], ["Jane^Max", "Roe^Max"])])
def test_a_name_is_asked_by_its_start(archive, typed, asked, found):
    config, sent = archive
    sent.clear()
    names = [m["PatientName"] for m in find(config, "STUDY", PatientName=typed)]
    assert sent == asked
    assert names == found
