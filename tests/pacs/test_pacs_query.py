"""Search fields as users type them (no server needed)."""

from __future__ import annotations

import pytest

from neuroview.io.pacs import PacsError
from neuroview.io.pacs.query import date_query, keep, split_query


@pytest.mark.parametrize("typed, dicom", [
    ("20240101", "20240101"), ("2024-01-31", "20240131"), ("2024.01.31", "20240131"),
    ("20240101-20241231", "20240101-20241231"), ("2024-01-01 - 2024-12-31", "20240101-20241231"),
    ("2024-01-01-2024-12-31", "20240101-20241231"), ("2024-01-01 to 2024-12-31", "20240101-20241231"),
    ("2024-01-01-", "20240101-"), ("-2024-12-31", "-20241231"), (" 2024-01-01 ", "20240101")])
def test_dates(typed, dicom):
    assert date_query(typed) == dicom


@pytest.mark.parametrize("typed", ["yesterday", "2024-01", "2024-01-01 2024-02-01", "1-2-3",
                                   "2024-01-01 - 2024-02-01 - 2024-03-01"])
def test_unreadable_dates_say_how(typed):
    with pytest.raises(PacsError, match="write a day \\(2024-01-31\\) or a range") as info:
        date_query(typed)
    assert "\n" not in str(info.value)


def test_descriptions_are_matched_here_regardless_of_case():
    server, local = split_query({"StudyDescription": "*brain*", "PatientName": "DOE*",
                                 "StudyDate": "2024-01-01 - 2024-01-31", "ModalitiesInStudy": ""})
    assert server == {"PatientName": ["DOE*"], "StudyDate": "20240101-20240131"}
    answers = [{"StudyDescription": d, "PatientName": "DOE^JANE"}
               for d in ("Brain MRI", "MR BRAIN W/O", "Head CT", "")]
    assert keep(answers, local) == answers[:2]
    _, local = split_query({"SeriesDescription": "t?_flair"})
    assert keep([{"SeriesDescription": "T2_FLAIR"}, {"SeriesDescription": "T2_FLAIR_sag"}], local) == [
        {"SeriesDescription": "T2_FLAIR"}]
    assert split_query({"StudyDescription": "*"}) == ({}, {})  # matches everything: no filter
