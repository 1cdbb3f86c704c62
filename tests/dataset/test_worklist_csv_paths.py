"""A worklist CSV's rows: an absolute path (images on a shared drive) is a case wherever it lies,
a relative one is read in the CSV's folder, and one climbing out of it by ``..`` is left out,
said in one line naming the CSV and the row (never the path: a patient's name may be in it).
Until session 51 ``../../x`` was taken: a CSV copied or sent elsewhere named files of whatever
lay above it, and their folders became folders the shared state could name labels files in."""

from __future__ import annotations

import json

import pytest

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import Worklist


def _tree(tmp_path):
    lists, shared, above = tmp_path / "lists", tmp_path / "share" / "mri", tmp_path / "Doe_John"
    for folder in (lists / "cases", shared, above):
        folder.mkdir(parents=True)
    for image in (lists / "cases" / "a.nii.gz", shared / "b.nii.gz", above / "c.nii.gz"):
        image.write_bytes(b"")
    return lists, shared, above


def test_a_relative_path_climbing_out_of_the_csvs_folder_is_left_out(tmp_path):
    lists, shared, above = _tree(tmp_path)
    csv = lists / "work.csv"
    csv.write_text(f"path\ncases/a.nii.gz\n{shared / 'b.nii.gz'}\n../Doe_John/c.nii.gz\n"
                   "cases/../../Doe_John/c.nii.gz\ncases/./../cases/a.nii.gz\n")
    worklist = Worklist.open(csv, user="anna")
    assert [case.path for case in worklist.cases] == [
        lists / "cases" / "a.nii.gz", shared / "b.nii.gz", lists / "cases/./../cases/a.nii.gz"]
    assert worklist.warnings == [
        f"{csv}: rows 3, 4 name a relative path climbing out of the CSV's folder (..): left out (a "
        "relative path is read in the CSV's folder; name a file elsewhere by its absolute path)"]
    assert "Doe_John" not in worklist.warnings[0]   # the rows by number, not their paths

    # the shared state names no labels file where the row left out pointed
    labels = above / "c-labels.nii.gz"
    labels.write_bytes(b"")
    assert not worklist.keeps(labels) and worklist.keeps(shared / "b-labels.nii.gz")
    worklist.set_labels("cases/a.nii.gz", labels)
    state = json.loads((lists / "work.csv.neuroview-state.json").read_text())
    assert state["cases"]["cases/a.nii.gz"]["labels"] == "" and not list(above.glob("*.json"))


def test_a_csv_whose_every_row_climbs_out_is_refused_in_one_line(tmp_path):
    lists, _shared, _above = _tree(tmp_path)
    csv = lists / "work.csv"
    csv.write_text("../Doe_John/c.nii.gz\n")
    with pytest.raises(DatasetError) as raised:
        Worklist.open(csv, user="anna")
    assert str(raised.value) == (
        f"{csv}: holds no case: row 1 names a relative path climbing out of the CSV's folder (..): "
        "left out (a relative path is read in the CSV's folder; name a file elsewhere by its "
        "absolute path)")
    assert not (lists / "work.csv.neuroview-state.json").exists()
