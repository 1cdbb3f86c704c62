"""A case whose ``dataset add`` was killed after its plan of moves (``.staging/CASE/ready.json``)
was written, with that plan damaged since (a full disk, a bad sector, a hand edit): ``dataset
list`` lists the rest and says in one note which plan is damaged and what ``dataset repair`` does;
``repair`` sets the case aside when its files are not whole (:mod:`.test_repair_settles` completes
a whole one). Until session 51 the plan was read unchecked (RecursionError, TypeError, a move
naming ``../../x`` renamed a staged file out of the dataset); until session 52 ``list`` and
``add`` stopped at it until the user deleted ``.staging/CASE`` by hand."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from neuroview.dataset.layout import init_dataset

NESTED = "[" * 100_000 + "]" * 100_000
MOVES = [["nv_0001_0000.nii.gz", "imagesTr/nv_0001_0000.nii.gz"],
         ["nv_0001.nii.gz", "labelsTr/nv_0001.nii.gz"], ["nv_0001.json", "provenance/nv_0001.json"]]
LABELS = {"background": 0, "lesion": 1}
PLANS = {
    "nested": NESTED,
    "moves-nested": '{"labels": {"background": 0, "lesion": 1}, "moves": ' + NESTED + "}",
    "label-1e999": json.dumps({"labels": LABELS, "moves": MOVES}).replace('"lesion": 1', '"lesion": 1e999'),
    "moves-number": json.dumps({"labels": LABELS, "moves": 5}),
    "labels-list": json.dumps({"labels": [1], "moves": MOVES}),
    "a-list": "[]",
    "outside": json.dumps({"labels": LABELS, "moves": [["nv_0001.json", "../../escaped.json"]]}),
    "cut": json.dumps({"labels": LABELS, "moves": MOVES})[:30],
    # plans that read, each wrong: the image's move left out (the image was deleted with the
    # staging folder), a label's value changed (written into dataset.json)
    "a-move-left-out": json.dumps({"labels": LABELS, "moves": MOVES[1:]}),
    "labels-changed": json.dumps({"labels": {"background": 0, "lesion": 7}, "moves": MOVES}),
}


def _run(*args):
    from neuroview.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["dataset", *map(str, args)])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("plan", list(PLANS))
def test_a_damaged_plan_is_listed_as_unsettled_and_repair_sets_the_case_aside(tmp_path, plan):
    """``list`` goes on (it stopped at the plan until session 52: the user deleted .staging by
    hand) with one note naming the plan and ``dataset repair``; ``repair`` sets the case aside
    whole (its files are not NIfTI: nothing half-written is counted), the plan kept with it."""
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    dataset_json = (folder / "dataset.json").read_bytes()
    staged = folder / ".staging" / "nv_0001"
    staged.mkdir(parents=True)
    for source, _target in MOVES:
        (staged / source).write_bytes(b"staged " + source.encode())
    (staged / "ready.json").write_text(PLANS[plan])
    code, out, err = _run("list", folder)
    assert code == 0 and "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("note: nv_0001's add was interrupted and its plan of moves "
                          "(.staging/nv_0001/ready.json) is damaged: "), err
    assert f"until `neuroview dataset repair {folder}` completes it" in err, err
    assert out.startswith(f"{folder}  labels: ") and out.rstrip().endswith("cases: 0"), out
    assert sorted(p.name for p in staged.iterdir()) == sorted([*(m[0] for m in MOVES), "ready.json"])
    assert (folder / "dataset.json").read_bytes() == dataset_json   # list changed nothing

    code, out, err = _run("repair", folder)
    assert code == 0 and err == "", err
    assert out.startswith("set aside the interrupted add of nv_0001 in incomplete/nv_0001-"), out
    assert out.count("\n") == 1 and "not counted" in out, out
    aside = next((folder / "incomplete").iterdir())
    assert sorted(p.name for p in aside.iterdir()) == sorted([*(m[0] for m in MOVES), "ready.json"])
    assert (aside / "ready.json").read_text() == PLANS[plan]   # kept for the user to look at
    assert not any(any((folder / sub).iterdir()) for sub in ("imagesTr", "labelsTr", "provenance"))
    assert not any((folder / ".staging").iterdir())
    assert not (tmp_path / "escaped.json").exists() and not (folder.parent / "escaped.json").exists()
    assert (folder / "dataset.json").read_bytes() == dataset_json
    assert _run("list", folder)[2] == "" and _run("repair", folder)[1] == "nothing to repair\n"


def test_an_intact_plan_over_files_that_do_not_read_is_set_aside(tmp_path):
    """A whole plan is no proof of whole files (a bad sector in one): until session 52 they were
    moved in unread and counted (``numTraining`` 1, a label no tool reads)."""
    folder = init_dataset(tmp_path / "data", "Lesions", ["lesion"])
    staged = folder / ".staging" / "nv_0001"
    staged.mkdir(parents=True)
    for source, _target in MOVES:
        (staged / source).write_bytes(b"staged")
    (staged / "ready.json").write_text(json.dumps({"labels": LABELS, "moves": MOVES}))
    from neuroview.dataset.repair import repair_dataset

    said = repair_dataset(folder)
    assert len(said) == 1 and said[0].startswith("set aside the interrupted add of nv_0001"), said
    assert ": nv_0001.json cannot be read (unreadable provenance file (" in said[0], said
    assert not (folder / "labelsTr" / "nv_0001.nii.gz").exists()
    assert json.loads((folder / "dataset.json").read_text())["numTraining"] == 0
    aside = next((folder / "incomplete").iterdir())
    assert (aside / "nv_0001.nii.gz").read_bytes() == b"staged"
