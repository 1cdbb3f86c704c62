"""The readers' time behind an adjudicated case: Ann's and Bob's SEGs carry their editing sessions
(``io.seg_work``), and the lesion Sam Senior's *Apply* builds of their outlines keeps them, so the
adjudicated SEG and the training case count the readers' time with the adjudicator's. In session
48's walk (two annotators labelled one case, a lead adjudicated it) the training case recorded
the lead's 6 s alone."""

from __future__ import annotations

import time

import numpy as np
import pydicom

from neuroview.app.case import Case
from neuroview.app.readers import AdjudicationPlan, apply_adjudication, compare_readers, save_adjudicated_seg
from neuroview.core.labels import LabelMap
from neuroview.dataset.layout import init_dataset
from neuroview.io.seg import save_seg
from neuroview.io.seg_work import read_work
from tests.app.readers_series import readers_series

ANN = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}
BOB = {"annotator": "bob", "session": "0b1c2d3e4f5a6b7c", "editing_seconds": 40.0, "hand_edits": 2}


def test_the_adjudicated_case_counts_the_readers_time(tmp_path, mni_volume):
    volume, headers = readers_series(tmp_path, mni_volume)
    for reader, shift, work in (("Smith^Ann", 0, ANN), ("Jones^Bob", 2, BOB)):
        mask = np.zeros(volume.shape, np.uint8)
        mask[4 + shift:12 + shift, 4:12, 3:8] = 1
        save_seg(LabelMap(mask, volume.ijk_to_ras), headers, tmp_path / "study" / f"{reader[:3]}.dcm",
                 series_description=f"Lesions - {reader}'s version", content_creator=reader, work=[work])
    case = Case.open(volume, workspace=tmp_path / "ws-sam")
    plan = AdjudicationPlan(compare_readers(volume, None, "majority"))
    plan.choose(1, "Jones^Bob")
    time.sleep(0.2)   # the lead looks at the outlines: an Apply at once (0.0 s) leaves no entry of his
    apply_adjudication(case, plan, "Senior^Sam")
    assert case.labels.segments.by_name("lesion").origin == "human"   # a person's outline
    work = case.work_done("Sam Senior")
    assert [w["annotator"] for w in work] == ["anna", "bob", "Sam Senior"], work

    saved = save_adjudicated_seg(case, tmp_path / "adjudicated.dcm")
    assert [w["annotator"] for w in read_work(pydicom.dcmread(saved))] == ["anna", "bob", "Sam Senior"]
    record = case.send_to_training_set(init_dataset(tmp_path, "Lesions", ["background", "lesion"]),
                                       "Sam Senior")
    assert [(p["annotator"], p["editing_seconds"]) for p in record.annotators][:2] == \
        [("anna", 70.0), ("bob", 40.0)]
    assert record.annotator == "Sam Senior" and record.adjudication["adjudicator"] == "Sam Senior"
    case.session.undo()   # Ctrl+Z of the Apply: the readers' outlines, and their time, go
    assert [w["annotator"] for w in case.work_done("Sam Senior")] == ["Sam Senior"]
    case.close()
