"""Notices say when in the local time a person reads (``17:28 today``), not the UTC stamp a file
keeps: the notices of a send and of a training run cut short read ``(2026-12-05T17:28:04Z)``
until session 33. One helper, ``app.shown_time``, on a fixed clock here."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from neuroview.app.send_marker import MARK, cut_short
from neuroview.app.shown_time import shown_dicom_time, shown_time
from neuroview.app.train_marker import cut_short_runs
from neuroview.dataset.layout import init_dataset

BERLIN_WINTER = timezone(timedelta(hours=1))
NOW = datetime(2026, 12, 5, 18, 40, tzinfo=BERLIN_WINTER)   # 17:40 UTC


def test_today_yesterday_and_further_back_in_the_local_zone():
    assert shown_time("2026-12-05T17:28:04Z", NOW) == "18:28 today"
    assert shown_time("2026-12-04T23:30:00Z", NOW) == "00:30 today"        # 5 Dec in Berlin
    assert shown_time("2026-12-04T08:12:00Z", NOW) == "yesterday 09:12"
    assert shown_time("2026-12-03T23:00:00Z", NOW) == "yesterday 00:00"
    assert shown_time("2026-12-03T22:59:00Z", NOW) == "3 Dec 23:59"
    assert shown_time("2026-11-05T16:28:00Z", NOW) == "5 Nov 17:28"
    assert shown_time("2025-12-05T16:28:00Z", NOW) == "5 Dec 2025 17:28"
    assert shown_time("2026-12-05T17:28:04", NOW) == "18:28 today"          # no zone: UTC
    assert shown_time("not a time", NOW) == "not a time"


def test_dicom_date_and_time_as_the_local_time_they_name():
    """`pacs readers` printed a SEG's ContentDate + ContentTime raw (20261205060310.170640)."""
    assert shown_dicom_time("20261205060310.170640", NOW) == "06:03 today"
    assert shown_dicom_time("20261204233000", NOW) == "yesterday 23:30"
    assert shown_dicom_time("202611051728", NOW) == "5 Nov 17:28"
    assert shown_dicom_time("20251205", NOW) == "5 Dec 2025"
    assert shown_dicom_time("2026120599", NOW) == "2026120599"
    assert shown_dicom_time("", NOW) == ""


def test_a_measurement_stamp_of_the_old_form_reads_in_local_time_too():
    """``measurements.json`` kept ``2026-12-05 17:28 UTC`` until session 34 (now ISO 8601)."""
    assert shown_time("2026-12-05 17:28 UTC", NOW) == "18:28 today"
    assert shown_time("2026-12-04 08:12 UTC", NOW) == "yesterday 09:12"


def test_the_default_clock_is_the_local_one():
    now = datetime.now(timezone.utc).replace(microsecond=0)
    assert shown_time(now.isoformat().replace("+00:00", "Z")) == f"{now.astimezone():%H:%M} today"


def test_a_send_cut_short_says_when_in_local_time(tmp_path):
    dataset = init_dataset(tmp_path / "ds", "Lesions", ["background", "lesion"])
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / MARK).write_text(json.dumps({"dataset": str(dataset), "started": "2026-12-05T17:28:04Z",
                                              "image_id": "0" * 16, "held_before": []}))
    line = cut_short(workspace, now=NOW)
    assert line.startswith(f"The last Send to training set of this image, to {dataset.name} (18:28 "
                           "today), was cut short: nothing of it was written"), line
    assert "T17:28" not in line


def test_a_training_run_cut_short_says_when_it_started_in_local_time(tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    (models / ".training-walk@2.7.0.json").write_text(json.dumps({
        "ref": "walk@2.7.0", "started": "2026-12-04T08:12:30Z", "epochs": 3,
        "pid": 2 ** 22 + 7, "pid_started": 0.0}))   # no such process: its window is gone
    ((ref, line),) = cut_short_runs(models, now=NOW)
    assert line == ("Training walk@2.7.0 (started yesterday 09:12) was cut short when its window "
                    "closed before its first epoch ended: no checkpoint was kept (Start begins again).")
