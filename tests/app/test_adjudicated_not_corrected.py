"""An adjudicated case sent with nothing changed after *Apply* records no correction
(``corrected_at`` null), and ``dataset list`` reads ``adjudicated by Sam Senior``, not ``corrected
HH:MM``: the Apply, the readers' outlines chosen, is not an edit by hand (its time still counts as
editing), nor is saving the labels (the workspace's compaction after a save read the editing time
as an edit: in session 49's walk the lead's *Save labels...* of the adjudicated case made it
``corrected 12:18``). An edit after it is, and is recorded so."""

from __future__ import annotations

import numpy as np

from neuroview.app.case import Case
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers
from neuroview.dataset.layout import init_dataset
from tests.app.readers_series import readers_series, save_reader


def test_an_apply_alone_is_no_correction(tmp_path, mni_volume, monkeypatch, capsys):
    from neuroview.cli.main import main

    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    volume, headers = readers_series(tmp_path, mni_volume)
    for reader, shift in (("Smith^Ann", 0), ("Jones^Bob", 2)):
        mask = np.zeros(volume.shape, np.uint8)
        mask[4 + shift:12 + shift, 4:12, 3:8] = 1
        save_reader(volume, headers, mask, tmp_path / "study" / f"{reader[:3]}.dcm", reader)
    case = Case.open(volume, workspace=tmp_path / "ws-sam")
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    plan.choose(1, "Jones^Bob")
    apply_adjudication(case, plan, "Senior^Sam")
    case.save_labels(tmp_path / "adjudicated.nii.gz")   # the save's compaction is no edit either
    folder = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    record = case.send_to_training_set(folder, "Sam Senior")
    assert record.corrected_at is None and record.adjudication["adjudicator"] == "Sam Senior"
    assert main(["dataset", "list", str(folder)]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert "corrected" not in line and "(adjudicated by Sam Senior: 1 of 1 lesion kept)" in line, line

    at_ras = case.volume.ijk_to_ras[:3] @ np.array([8.0, 8.0, 5.0, 1.0])
    case.session.apply("erase", at_ras=at_ras, radius_mm=6, segment=case.session.segments["lesion"])
    assert case.clock.last_edit_at is not None
    again = case.send_to_training_set(folder, "Sam Senior")
    case.close()
    assert again.corrected_at == case.clock.last_edit_at
