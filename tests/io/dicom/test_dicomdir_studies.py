"""A DICOMDIR of two studies of one patient (today's stroke MR and the prior it is read against)
lists each study's series together, the newest study first, each by series number: they were
listed by series number alone, the prior's T1 between today's T1 and DWI (``study_groups``)."""

from __future__ import annotations

import warnings

from pydicom.fileset import FileSet
from pydicom.uid import generate_uid
from raw_series import write_raw_series

from neuroview.io.registry import scan

STUDIES = {"prior": ("20261101", "MR BRAIN", ((2, "T1"), (5, "DWI"))),
           "today": ("20261207", "MR BRAIN STROKE", ((2, "T1"), (5, "DWI"), (7, "ADC")))}


def test_each_studys_series_are_listed_together_newest_first(tmp_path):
    files = FileSet()
    for name, (date, description, series) in STUDIES.items():
        study = generate_uid()
        for number, what in series:
            for path in write_raw_series(tmp_path / "src" / name / what, n=3, PatientID="P",
                                         PatientName="P", StudyInstanceUID=study, StudyDate=date,
                                         StudyDescription=description, StudyID="1", StudyTime="120000",
                                         SeriesNumber=number, SeriesDescription=what):
                files.add(str(path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        files.write(str(tmp_path / "cd"))

    listed = [(c.series_number, c.description, c.origin())
              for c in scan(str(tmp_path / "cd" / "DICOMDIR")).candidates]
    assert listed == [(2, "T1", "study MR BRAIN STROKE 2026-12-07"),
                      (5, "DWI", "study MR BRAIN STROKE 2026-12-07"),
                      (7, "ADC", "study MR BRAIN STROKE 2026-12-07"),
                      (2, "T1", "study MR BRAIN 2026-11-01"),
                      (5, "DWI", "study MR BRAIN 2026-11-01")]
