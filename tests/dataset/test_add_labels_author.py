"""``dataset add`` of a labels file whose sidecar names who saved it (*Save labels*' work entries):
the case is that annotator's, with their time and edits (it was recorded as nobody's, ``by -``);
``--annotator`` given as well records both, the file's author and the one named. ``dataset list``
says whose it is."""

from __future__ import annotations

import json

import numpy as np

from neuroview.app.label_files import save_label_files
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import save_nifti

CLI_FORKED = "what `dataset add` stores and `dataset list` prints, not a process's start"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

ANNA = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}


def _case(tmp_path):
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    save_nifti(np.random.default_rng(0).random((16, 16, 12)).astype(np.float32), affine,
               tmp_path / "t1.nii.gz")
    array = np.zeros((16, 16, 12), np.uint8)
    array[4:8, 4:8, 4:8] = 1
    labels = LabelMap(array, affine, SegmentTable.from_values([1], {1: "lesion"}))
    save_label_files(labels, affine, tmp_path / "anna.nii.gz", work=[ANNA])
    return folder, ("dataset", "add", folder, "--image", tmp_path / "t1.nii.gz",
                    "--labels", tmp_path / "anna.nii.gz")


def test_a_labels_file_saved_by_an_annotator_is_added_as_theirs(tmp_path, cli):
    folder, add = _case(tmp_path)
    assert cli(*add).returncode == 0
    record = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert record["annotator"] == "anna"
    assert record["annotators"] == [{"annotator": "anna", "editing_seconds": 70.0, "hand_edits": 3}]
    assert record["editing_seconds"] == 70.0 and record["hand_edits"] == 3
    listed = cli("dataset", "list", folder).stdout
    assert "by anna " in listed


def test_an_annotator_named_beside_the_files_author_records_both(tmp_path, cli):
    folder, add = _case(tmp_path)
    assert cli(*add, "--annotator", "Sam Senior", "--editing-seconds", "30").returncode == 0
    record = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert record["annotator"] == "Sam Senior"
    assert [p["annotator"] for p in record["annotators"]] == ["anna", "Sam Senior"]
    assert record["editing_seconds"] == 100.0
    listed = cli("dataset", "list", folder, "--by-annotator").stdout
    assert "by anna, Sam Senior " in listed
    assert any(line.split()[:1] == ["anna"] and "editing 1 min 10 s" in line
               for line in listed.splitlines())
