"""``followup-chosen.json`` (the studies *Open follow-up* compared last) keeps a study retrieved
into the PACS cache as a keyed digest of its folder's name, not the folder's path, which is named
by the series' UID (a marker of the patient's study): it kept the path, UID and all, until
session 51. The choice is still found after a restart (the file read again), and a file written
before is still read."""

from __future__ import annotations

import json
import shutil

from neuroview.app.followup_chosen import chosen_last, remember_chosen
from neuroview.paths import user_data_dir

UID = "1.2.826.0.1.3680043.8.498.51.77"


def _state(baseline: str, followup: str) -> dict:
    return {"fields": {"baseline": baseline, "baseline_labels": "/data/base_lesions.nii.gz",
                       "followup": followup, "followup_labels": ""},
            "pacs_names": {}, "registration": "affine"}


def test_a_cached_series_is_kept_without_its_uid_and_found_again():
    folder = user_data_dir() / "pacs-cache" / UID
    folder.mkdir(parents=True)
    (folder / "1.dcm").write_bytes(b"")
    remember_chosen(_state(str(folder), "/data/later"))
    text = (user_data_dir() / "followup-chosen.json").read_text()
    assert UID not in text and "pacs-cache" in text   # pacs-cache:DIGEST
    assert "/data/later" in text
    read = chosen_last()   # as after a restart: from the file
    assert read["fields"]["baseline"] == str(folder.resolve())
    assert read["fields"]["followup"] == "/data/later"
    assert read["registration"] == "affine"
    shutil.rmtree(folder)   # evicted from the cache since: the field is left empty
    assert chosen_last()["fields"]["baseline"] == ""


def test_a_file_written_before_keeps_its_paths():
    folder = user_data_dir() / "pacs-cache" / UID
    (user_data_dir() / "followup-chosen.json").write_text(json.dumps(_state(str(folder), "/data/l")))
    assert chosen_last()["fields"]["baseline"] == str(folder)
