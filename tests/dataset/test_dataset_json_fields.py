"""A training set's ``dataset.json`` or ``neuroview.json`` whose field holds the wrong kind of
value is one line naming that file and the field. ``dataset list`` and ``dataset add`` said
`dataset.json or neuroview.json is unreadable ('int' object is not iterable)` (or `cannot
convert float NaN to integer`, `invalid literal for int() with base 10: ''`...): Python's words,
naming neither file nor field (``bench/fuzz_readers.py --only dataset``, session 39: 120 of 538
commands). A label value past 65535 (2^63) was accepted, then every mask was refused as holding
values that are not labels of the dataset."""

from __future__ import annotations

import json

import pytest

from neuroview.cli.main import main
from neuroview.dataset.layout import init_dataset


@pytest.mark.parametrize("file, key, value, said", [
    ("dataset.json", "labels", 5,
     "dataset.json's labels must be label names with whole numbers "
     '(e.g. {"background": 0, "lesion": 1}), not 5'),
    ("dataset.json", "labels", {"background": 0, "lesion": float("nan")},
     "dataset.json's labels must be label names with whole numbers "
     '(e.g. {"background": 0, "lesion": 1}), not {"background": 0, "lesion": NaN}'),
    ("dataset.json", "labels", {"background": 0, "lesion": 2 ** 63},
     "dataset.json's labels must give background 0 and each label its own value from 1 to 65535 "
     '(e.g. {"background": 0, "lesion": 1})'),
    ("dataset.json", "channel_names", "DELETE", "dataset.json has no 'channel_names'"),
    # dataset add blamed the mask: "mask holds values 1 that are not labels of the dataset ()"
    ("dataset.json", "labels", {"background": 0},
     'dataset.json\'s labels name no label but background (e.g. {"background": 0, "lesion": 1})'),
    ("dataset.json", "numTraining", "x" * 5000,
     'dataset.json\'s numTraining must be a whole number, not "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx... '
     "(5002 characters)"),
    ("dataset.json", "name", None, "dataset.json's name must be text, not null"),
    ("neuroview.json", "dataset_uid", [], "neuroview.json's dataset_uid must be text, not []"),
    ("neuroview.json", "dataset_uid", "DELETE", "neuroview.json has no 'dataset_uid'"),
])
def test_a_field_of_the_wrong_kind_is_named(tmp_path, capsys, file, key, value, said):
    folder = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    path = folder / file
    data = json.loads(path.read_text())
    if value == "DELETE":
        del data[key]
    else:
        data[key] = value
    path.write_text(json.dumps(data))
    assert main(["dataset", "list", str(folder)]) == 1
    assert capsys.readouterr().err.strip() == f"neuroview: error: {path}: {said}"
