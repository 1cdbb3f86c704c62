"""A study date that is no day of the calendar (month 13, 31 February) is refused in one line
before any server is asked. It went to the server as DICOM's 20241345: ``pacs find`` answered
"0 match(es)" under a pydicom warning naming its own file ("Invalid value for VR DA"), and the
window's search found nothing, as if there were no study that day."""

from __future__ import annotations

import warnings

import pytest

from neuroview.cli.main import main
from neuroview.io.pacs.config import PacsError
from neuroview.io.pacs.query import date_query, split_query


@pytest.mark.parametrize("typed", ["2024-13-45", "20240231", "2024-01-01 - 2024-02-30",
                                   "-20241301"])
def test_a_day_not_in_the_calendar_is_refused(typed):
    with pytest.raises(PacsError, match="not a day"):
        date_query(typed)
    with pytest.raises(PacsError, match="study date"):
        split_query({"StudyDate": typed})


def test_real_days_still_make_ranges():
    assert date_query("2024-02-29") == "20240229"
    assert date_query("2024-01-01 - 2024-12-31") == "20240101-20241231"
    assert date_query("20240101-") == "20240101-"


def test_pacs_find_says_so_in_one_line_and_asks_no_server(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no pydicom warning on the way
        code = main(["pacs", "find", "--host", "127.0.0.1", "--port", "9", "--aet", "NONE",
                     "--date", "2024-13-45"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "2024-13-45" in err[0] and "not a day" in err[0]
