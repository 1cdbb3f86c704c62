"""A label file's commit intent (``.NAME.commit``, left by a save killed between its renames)
damaged or handed over with the folder: File > Load labels reads the mask as it is, in one piece,
and renames nothing the intent was not entitled to. The intent was read with ``json.loads`` of
the whole file and used unchecked: nested 100,000 deep it raised RecursionError out of the load
(an internal error), a list of numbers TypeError, and an intent naming ``notes.txt`` and
``lesion.nii.gz`` renamed the user's notes over the mask."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.app.label_files import read_label_file, save_label_files
from neuroview.core.labels import LabelMap, SegmentTable

NESTED = "[" * 100_000 + "]" * 100_000
INTENTS = {
    "nested": NESTED,
    "numbers": "[[1, 2]]",
    "an-object": '{"a": 1}',
    "not-a-temporary": json.dumps([["notes.txt", "lesion.nii.gz"]]),
    "outside": json.dumps([["../outside.nii.gz", "lesion.nii.gz"]]),
    "cut": '[[".lesion.nii.abcd1234.nii.gz", "lesion.ni',
}


@pytest.mark.parametrize("intent", list(INTENTS))
def test_a_damaged_commit_intent_leaves_the_files_as_they_are(tmp_path, intent):
    array = np.zeros((6, 6, 6), np.uint8)
    array[1:4, 1:4, 1:4] = 1
    table = SegmentTable()
    table.add("lesion", value=1)
    target = tmp_path / "lesion.nii.gz"
    save_label_files(LabelMap(array, np.eye(4), table), np.eye(4), target)
    (tmp_path / "notes.txt").write_text("my notes")
    (tmp_path / ".lesion.nii.gz.commit").write_text(INTENTS[intent])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.endswith(".commit")}
    volume = read_label_file(target)
    assert int(np.count_nonzero(volume.array)) == 27
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if not p.name.endswith(".commit")} == before
