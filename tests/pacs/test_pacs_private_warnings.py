"""pydicom's warnings quoted the values they found odd: a DICOMweb server answering a search with
a birth date of '2026' had ``UserWarning: Invalid value for VR DA: '2026'.`` printed on the
terminal by ``neuroview pacs find``, and on pydicom's logger, in any log. Now both name the
attribute, never the value; the search still lists the study."""

from __future__ import annotations

import json
import logging
import warnings

from fake_web import send, serving

from neuroview.io.pacs import ServerConfig, find, save_server
from tests.checkout import run_cli
from tests.private_warnings import private_warnings  # noqa: F401 - a fixture

STUDY = "1.2.826.0.1.3680043.2.1125.97"
BIRTH, NAME = "2026", "Zorglub^Secret" + "X" * 60
"""Invalid values (a year alone; a name component past 64 characters) that must not be said."""


def _handler():
    import http.server

    class Answers(http.server.BaseHTTPRequestHandler):
        """A DICOMweb server answering every search with one study of a patient whose birth date
        and name are invalid DICOM values."""

        def do_GET(self):  # noqa: N802 - http.server's name
            study = {"0020000D": {"vr": "UI", "Value": [STUDY]}, "00100020": {"vr": "LO", "Value": ["P9"]},
                     "00100030": {"vr": "DA", "Value": [BIRTH]},
                     "00100010": {"vr": "PN", "Value": [{"Alphabetic": NAME}]},
                     "00080020": {"vr": "DA", "Value": ["20240101"]}}
            send(self, json.dumps([] if "offset=" in self.path and "offset=0" not in self.path
                                  else [study]).encode(), "application/dicom+json")

        def log_message(self, *args):
            pass

    return Answers


def test_pacs_find_says_the_attribute_not_the_value(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))   # the command's too
    with serving(_handler()) as url:
        save_server(ServerConfig(name="sick", url=url, timeout=10))
        run = run_cli("pacs", "find", "--server", "sick")
    assert run.returncode == 0, run.stderr
    assert STUDY in run.stdout   # the search still lists the study
    said = run.stderr
    assert "PatientBirthDate: Invalid value for VR DA (value not shown)" in said
    assert BIRTH not in said and "Zorglub" not in said


def test_pydicom_log_records_keep_no_value(private_warnings, caplog, capsys):  # noqa: F811
    with serving(_handler()) as url, caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("always")
        found = find(ServerConfig(name="sick", url=url, timeout=10), "STUDY", protocol="web")
    assert [m["StudyInstanceUID"] for m in found] == [STUDY]
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("pydicom")]
    assert "DICOM data: PatientBirthDate: Invalid value for VR DA (value not shown)" in logged
    said = capsys.readouterr().err
    assert "PatientBirthDate" in said
    for private in (BIRTH, "Zorglub"):
        assert private not in caplog.text and private not in said
