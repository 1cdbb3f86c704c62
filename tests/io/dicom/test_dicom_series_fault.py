"""A fault in neuroview while planning one series costs only that series: the folder's other
series are listed, and the skipped one is a line naming its files. Until session 36 one such
fault (two GE CT acquisitions overlapping by a slice, tests/io/dicom/test_dicom_ge_ct_positions.py)
ended info, convert and the window's open of the whole folder with 'internal error'."""

from __future__ import annotations

import pydicom
import pytest
from ge_ct import ct5n_files

import neuroview.io.dicom as dicom
from neuroview.io import scan


@pytest.fixture
def two_series(tmp_path):
    """pydicom's GE CT study 98892001/CT5N (5 slices) as series 5 (3 files) and 6 (2 files)."""
    for k, path in enumerate(ct5n_files()):
        ds = pydicom.dcmread(path)
        ds.SeriesNumber = 5 if k < 3 else 6
        ds.save_as(tmp_path / path.name)
    return tmp_path


def test_a_fault_planning_one_series_skips_only_it(two_series, monkeypatch):
    planned = dicom.plan_stack

    def faulty(key, refs, *args, **kwargs):
        if refs[0].series_number == 6:
            raise ValueError("no time point holds this position")
        return planned(key, refs, *args, **kwargs)

    monkeypatch.setattr(dicom, "plan_stack", faulty)
    result = scan(two_series)
    (candidate,) = result.candidates
    assert candidate.shape == (16, 16, 3)
    (note,) = result.notes
    assert note.startswith(f"skipped {two_series}/") and " and 1 other file: series 6 " in note
    assert "internal error, ValueError: no time point holds this position" in note
    assert candidate.load().shape == (16, 16, 3)
