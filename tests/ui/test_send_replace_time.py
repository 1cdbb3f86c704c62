"""Send to training set asks before replacing a case: when that case was added reads in the local
time a person reads (``yesterday 06:40``), not the stamp the provenance file keeps
(``2026-12-02 05:40 UTC`` stood there). On a fixed clock, as tests/app/test_shown_time.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from neuroview.dataset.provenance import CaseRecord
from neuroview.ui.training_set_dialog import TrainingSetDialog

BERLIN_WINTER = timezone(timedelta(hours=1))
NOW = datetime(2026, 12, 3, 18, 40, tzinfo=BERLIN_WINTER)


def _record(added_at: str) -> CaseRecord:
    return CaseRecord(case="nv_0007", subject="nv_0007", status="final", model=None,
                            annotator="dr.b", editing_seconds=12.0, proposed_at=None,
                            corrected_at=None, added_at=added_at, channels=["MRI"], modality="MR",
                            shape=[8, 8, 8], spacing_mm=[1.0, 1.0, 1.0], partial=False,
                            reviewed_fraction=1.0)


def test_the_replace_question_says_when_in_local_time(qtbot):
    dialog = TrainingSetDialog(["lesion"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ask_replace(_record("2026-12-02T05:40:12Z"), "Dataset501_Lesions", now=NOW)
    text = dialog.replace_label.text()
    assert text.startswith("This image is already in Dataset501_Lesions as nv_0007 "
                           "(added yesterday 06:40 by dr.b). Replace sends this label"), text
    assert "UTC" not in text and "05:40" not in text
    assert dialog.send_button.text() == "Replace"
    dialog.ask_replace(_record("2026-12-03T17:05:00Z"), "Dataset501_Lesions", now=NOW)
    assert "(added 18:05 today by dr.b)" in dialog.replace_label.text()
