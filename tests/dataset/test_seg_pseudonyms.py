"""A training set names the readers' SEGs of an adjudicated case by opaque ids (``seg_...``), not
their DICOM UIDs, and keeps no SEG's date (``created``, nor the day and time in an unnamed
reader's name); a record written so before session 35 is rewritten by the next add."""

from __future__ import annotations

import json

import numpy as np

from neuroview.core.volume import Volume
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.links import seg_pseudonym
from neuroview.dataset.provenance import Provenance
from neuroview.dataset.store import add_case
from tests.dataset.label_maps import lesion_map

UID_A = "1.2.826.0.1.3680043.10.511.3.1111"
UID_B = "1.2.826.0.1.3680043.10.511.3.2222"
UNNAMED = "unnamed: Resident draft, 1917-06-15 10:11"   # app.unnamed_readers: a SEG signed by nobody
DATES = ("1917", "19170614", "19170615")


def _adjudication() -> dict:
    return {"adjudicator": "Senior^Sam", "consensus": None,
            "lesions": [{"lesion": 1, "taken_from": UNNAMED, "from_reader": True, "voxels": 9},
                        {"lesion": 2, "taken_from": "Smith^Ann", "from_reader": True, "voxels": 4}],
            "readers": [{"reader": "Smith^Ann", "model": "", "created": "19170614134714.4714",
                         "found_on": "this computer", "seg_series_uid": UID_A},
                        {"reader": UNNAMED, "model": "", "created": "19170615101112",
                         "found_on": "this computer", "seg_series_uid": UID_B}]}


def _image(seed: int) -> Volume:
    array = np.random.default_rng(seed).normal(100, 10, (24, 26, 28)).astype(np.float32)
    return Volume(array, np.diag([2.0, 2.0, 2.0, 1.0]), modality="MR")


def test_old_records_lose_their_seg_uids_and_new_ones_never_get_them(tmp_path):
    folder = init_dataset(tmp_path / "export", "Lesions", ["background", "lesion"])
    links = tmp_path / "private" / "links.json"
    first = _image(1)
    add_case(folder, first, lesion_map(first),
             Provenance(annotator="Senior^Sam", adjudication=_adjudication()), links_path=links)
    record = folder / "provenance" / "nv_0001.json"
    data = json.loads(record.read_text())
    secret = json.loads(links.read_text())
    ids = [seg_pseudonym(secret, uid) for uid in (UID_A, UID_B)]
    assert [r.get("seg") for r in data["adjudication"]["readers"]] == ids and len(set(ids)) == 2
    assert UID_A not in record.read_text() and "seg_secret" not in record.read_text()
    _check_dates_left_out(data["adjudication"], ids)

    data["adjudication"] = _adjudication()          # as neuroview wrote it until session 35
    record.write_text(json.dumps(data, indent=2))
    second = _image(2)
    add_case(folder, second, lesion_map(second), Provenance(annotator="Senior^Sam"), links_path=links)
    text = record.read_text()
    assert UID_A not in text and UID_B not in text
    assert [r["seg"] for r in json.loads(text)["adjudication"]["readers"]] == ids
    _check_dates_left_out(json.loads(text)["adjudication"], ids)


def _check_dates_left_out(adjudication: dict, ids: list[str]) -> None:
    assert not [d for d in DATES if d in json.dumps(adjudication)]
    # the unnamed reader keeps what tells it apart, its SEG's id instead of the day and time
    names = [r["reader"] for r in adjudication["readers"]]
    assert names == ["Smith^Ann", f"unnamed: Resident draft, {ids[1]}"]
    assert [x["taken_from"] for x in adjudication["lesions"]] == [adjudication["readers"][1]["reader"],
                                                                   "Smith^Ann"]
