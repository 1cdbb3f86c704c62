"""A case whose ``dataset add`` was killed after its plan of moves (``.staging/CASE/ready.json``)
was written, with that plan damaged since (a full disk, a bad sector, a hand edit): ``dataset
list`` (which completes such a case) says in one line which file is wrong and that the case's
files stay in ``.staging``; nothing is moved, the dataset's own files are as they were. The plan
was read with ``json.loads`` of the whole file and used unchecked: RecursionError, OverflowError,
TypeError out of ``list``, ``add`` and training (an internal error), and a move naming
``../../x`` renamed a staged file out of the dataset."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from neuroview.dataset.layout import init_dataset

NESTED = "[" * 100_000 + "]" * 100_000
MOVES = [["case_0001_0000.nii.gz", "imagesTr/case_0001_0000.nii.gz"],
         ["case_0001.nii.gz", "labelsTr/case_0001.nii.gz"], ["case_0001.json", "provenance/case_0001.json"]]
LABELS = {"background": 0, "lesion": 1}
PLANS = {
    "nested": NESTED,
    "moves-nested": '{"labels": {"background": 0, "lesion": 1}, "moves": ' + NESTED + "}",
    "label-1e999": json.dumps({"labels": LABELS, "moves": MOVES}).replace('"lesion": 1', '"lesion": 1e999'),
    "moves-number": json.dumps({"labels": LABELS, "moves": 5}),
    "labels-list": json.dumps({"labels": [1], "moves": MOVES}),
    "a-list": "[]",
    "outside": json.dumps({"labels": LABELS, "moves": [["case_0001.json", "../../escaped.json"]]}),
    "cut": json.dumps({"labels": LABELS, "moves": MOVES})[:30],
}


def _list(folder):
    from neuroview.cli.main import main

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["dataset", "list", str(folder)])
    return code, err.getvalue()


@pytest.mark.parametrize("plan", list(PLANS))
def test_a_damaged_plan_of_moves_is_one_line_and_the_case_stays_staged(tmp_path, plan):
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    dataset_json = (folder / "dataset.json").read_bytes()
    staged = folder / ".staging" / "case_0001"
    staged.mkdir(parents=True)
    for source, _target in MOVES:
        (staged / source).write_bytes(b"staged " + source.encode())
    (staged / "ready.json").write_text(PLANS[plan])
    code, err = _list(folder)
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1, err
    assert f"{staged / 'ready.json'}: " in err and "ready.json" in err.split(": ", 2)[2], err
    assert err.rstrip().endswith(": the interrupted add of case_0001 was not completed; its files stay "
                                 "in .staging (deleting .staging/case_0001 rolls it back)"), err
    assert sorted(p.name for p in staged.iterdir()) == sorted([*(m[0] for m in MOVES), "ready.json"])
    assert not any(any((folder / sub).iterdir()) for sub in ("imagesTr", "labelsTr", "provenance"))
    assert not (tmp_path / "escaped.json").exists() and not (folder.parent / "escaped.json").exists()
    assert (folder / "dataset.json").read_bytes() == dataset_json


def test_an_intact_plan_is_still_completed(tmp_path):
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    staged = folder / ".staging" / "case_0001"
    staged.mkdir(parents=True)
    for source, _target in MOVES:
        (staged / source).write_bytes(b"staged")
    (staged / "ready.json").write_text(json.dumps({"labels": LABELS, "moves": MOVES}))
    from neuroview.dataset.repair import repair_dataset

    assert repair_dataset(folder) == ["completed case case_0001, whose adding was interrupted"]
    assert (folder / "labelsTr" / "case_0001.nii.gz").read_bytes() == b"staged"
    assert json.loads((folder / "dataset.json").read_text())["numTraining"] == 1
