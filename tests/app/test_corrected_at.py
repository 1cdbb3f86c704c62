"""A training case's ``corrected_at`` is when its labels were last edited in the window, as the
README says; it was the time of sending (the same as ``added_at``) whenever no time was given,
which was always, so a correction finished at 09:00 and sent at 17:00 read "corrected 17:00"."""

from __future__ import annotations

import json
import time
from datetime import datetime

import numpy as np

from neuroview.app.case import Case
from neuroview.app.edit_clock import EditClock
from neuroview.app.session import Session
from neuroview.dataset.layout import init_dataset


def _stored(folder, record) -> dict:
    return json.loads((folder / "provenance" / f"{record.case}.json").read_text())


def test_corrected_at_is_the_last_edit_not_the_send(small_image, tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROVIEW_HOME", str(tmp_path / "home"))
    ws = tmp_path / "ws"
    case = Case(Session.open(small_image, workspace=ws), ws, clock=EditClock(lambda: 0.0))
    result = np.zeros(case.labels.shape, np.uint8)
    result[10:14, 10:14, 10:14] = 1
    case.model_started()
    case.apply_model_result(result, {1: "lesion"}, model="m@1.0.0")
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    untouched = _stored(folder, case.send_to_training_set(folder, annotator="a"))
    assert untouched["corrected_at"] is None and untouched["added_at"]   # nobody corrected it

    at_ras = case.volume.ijk_to_ras[:3] @ np.array([12.0, 12.0, 12.0, 1.0])
    case.session.apply("erase", at_ras=at_ras, radius_mm=4, segment=case.session.segments["lesion"])
    edited = case.clock.last_edit_at
    time.sleep(1.1)   # sent a while after the last edit (ISO times to the second)
    stored = _stored(folder, case.send_to_training_set(folder, annotator="a"))
    case.close()
    assert stored["corrected_at"] == edited
    assert _time(edited) < _time(stored["added_at"])


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
