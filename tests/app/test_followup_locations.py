"""Each follow-up row's location: told on the baseline, a new lesion's on the later study, one
template fit per study; the CSVs' added last column and the command's per-location line.

The heads are the lesion-location tests' (``tests.app.located_heads``: lesions placed where their
location is known): the baseline has the two infratentorial lesions and the deep white matter one,
the later study all five, so the periventricular and the juxtacortical lesions are new."""

from __future__ import annotations

import csv
import functools

import numpy as np
import pytest

from neuroview.app import followup_location
from neuroview.app.followup import StudyInput
from neuroview.app.followup_lesions import CSV_COLUMNS
from neuroview.app.followup_location import StudyLocations, locate_rows, status_locations_line
from neuroview.io.registration import Registration
from tests.app.located_heads import compared_as_is, located_head, studies_with_new

NEW = ("periventricular", "juxtacortical")


@functools.lru_cache(maxsize=1)
def _head():
    return located_head("flair")


def _studies():
    return studies_with_new(_head(), NEW)


def _fits_counted(monkeypatch):
    fits = []
    real = followup_location.case_anatomy
    monkeypatch.setattr(followup_location, "case_anatomy",
                        lambda *a, **k: fits.append(1) or real(*a, **k))
    return fits


def test_a_later_study_without_a_brain_mask_leaves_its_new_lesions_unknown(monkeypatch):
    baseline, later = _studies()
    later.brain, later.brain_source = None, "none (no brain extraction asked for)"
    fits = _fits_counted(monkeypatch)
    comparison = compared_as_is(baseline, later)
    locate_rows(comparison, 1, StudyLocations([baseline, later]))
    rows = comparison.table.rows
    assert sorted(row.location.text() for row in rows if row.status == "stable") == [
        "deep white matter", "infratentorial", "infratentorial"]   # the baseline has a brain mask
    assert status_locations_line(rows, "new") == (
        "new lesions: 2 (location unknown: no brain mask: no brain extraction asked for)")
    assert len(fits) == 1


def test_the_command_prints_the_new_lesions_per_location_and_writes_the_column(tmp_path, monkeypatch,
                                                                                capsys):
    from neuroview.app import followup, followup_report
    from neuroview.cli.main import main
    from neuroview.io.nifti import save_nifti

    baseline, later = _studies()
    files = {}
    for name, array in (("t0", baseline.image), ("t1", later.image), ("l0", baseline.lesions),
                        ("l1", later.lesions), ("brain", baseline.brain.astype(np.uint8))):
        files[name] = str(save_nifti(array, baseline.ijk_to_ras, tmp_path / f"{name}.nii.gz"))
    # one image twice: its registration is the identity (tests/app/test_followup.py registers)
    monkeypatch.setattr(followup, "register", lambda *a, **k: Registration(np.eye(4), "rigid", 0.0, 0))
    monkeypatch.setattr(followup_report, "pdf_available", lambda: False)   # the HTML report is enough
    fits = _fits_counted(monkeypatch)
    assert main(["followup", files["t0"], files["t1"], "--labels-baseline", files["l0"],
                 "--labels", files["l1"], "--brain-baseline", files["brain"], "--brain", files["brain"],
                 "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "follow-up 1: 2 new, 0 enlarging, 3 stable, 0 shrinking, 0 resolved;" in out
    assert "follow-up 1: new lesions: 2 (periventricular 1, juxtacortical 1)\n" in out
    with open(tmp_path / "out" / "lesions_tp2.csv") as f:
        pair = list(csv.reader(f))
    assert pair[0] == [*CSV_COLUMNS, "location"]
    assert sorted((r[1], r[-1]) for r in pair[1:]) == [
        ("new", "juxtacortical"), ("new", "periventricular"), ("stable", "deep white matter"),
        ("stable", "infratentorial"), ("stable", "infratentorial")]
    with open(tmp_path / "out" / "lesions.csv") as f:   # the table across time points
        rows = list(csv.reader(f))
    assert rows[0][-1] == "location"
    assert sorted((r[1], r[-1]) for r in rows[1:]) == sorted((r[1], r[-1]) for r in pair[1:])
    # the report says it under its totals
    assert "new lesions: 2 (periventricular 1, juxtacortical 1).</p>" in (
        tmp_path / "out" / "report.html").read_text()
    assert len(fits) == 2   # one template fit a study, not one a row (five rows, two tables)


def test_lesions_that_merge_give_their_row_each_part_s_location():
    """The later study joins the periventricular and the deep white matter lesion by a line of
    voxels: one lesion, merged and enlarging. Its row, in the pair's table and the table across
    time points, reads both baseline parts' locations (the first part's alone until 7 Dec
    2026), and so does the count line."""
    from neuroview.app.followup_track import tracking_of

    head = _head()
    baseline = StudyInput(head.image, head.ijk_to_ras, head.labels, head.brain, "baseline", ct=False)
    ends = [np.linalg.inv(head.ijk_to_ras) @ [*centre, 1] for name, centre in head.expected
            if name in ("periventricular", "deep white matter")]
    bridged = head.labels.copy()
    for t in np.linspace(0, 1, 100):
        bridged[tuple(np.rint(ends[0][:3] + t * (ends[1][:3] - ends[0][:3])).astype(int))] = 1
    later = StudyInput(head.image, head.ijk_to_ras, bridged, head.brain, "follow-up 1", ct=False)
    comparison = compared_as_is(baseline, later)
    locate_rows(comparison, 1, StudyLocations([baseline, later]))
    rows = comparison.table.rows
    assert [(row.status, row.event, row.location.text()) for row in rows if row.event] == [
        ("enlarging", "merged", "periventricular + deep white matter")]
    assert status_locations_line(rows, "enlarging") == (
        "enlarging lesions: 1 (periventricular + deep white matter 1)")
    tracked = tracking_of(baseline, [later], [comparison]).rows
    assert [(row.event, row.location.text()) for row in tracked if row.event] == [
        ("merged at tp2", "periventricular + deep white matter")]


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
