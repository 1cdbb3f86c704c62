"""*Send to training set* of labels an annotator saved (the labels file's sidecar names her):
unchanged in this window, the dialog proposes her and says why, and the case is recorded as hers;
changed here, it proposes this window's user and says so, and the case's annotators name both.
Until session 52 a lead sending anna's labels proposed the name last typed in the window ("Sam
Senior"), and the training set recorded anna's mask as his."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, stroke
from PySide6.QtCore import Qt

from neuroview.app.label_files import save_label_files
from neuroview.app.last_dataset import remember_dataset, remembered_dataset
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.dataset.layout import init_dataset

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

ANNA = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}


def _annas_labels_loaded(qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    array = np.zeros(volume.shape, np.uint8)
    array[10:20, 10:20, 10:20] = 1
    path = tmp_path / "case-labels-anna.nii.gz"
    save_label_files(LabelMap(array, volume.ijk_to_ras, SegmentTable.from_values([1], {1: "lesion"})),
                     volume.ijk_to_ras, path, work=[ANNA])
    window.edit_actions.load_labels(path)
    qtbot.waitUntil(lambda: not window.runner.busy and session.labels.array.any(), timeout=10000)
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    remember_dataset(dataset, "Sam Senior")   # the lead's name, typed in an earlier send
    return session, dataset


def _send(qtbot, window, dataset):
    dialog = window.training_actions.dialog
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    return json.loads((dataset / "provenance" / "nv_0001.json").read_text())


def test_labels_saved_by_anna_and_sent_unchanged_are_hers(qtbot, window, tmp_path):
    _, dataset = _annas_labels_loaded(qtbot, window, tmp_path)
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    assert dialog.annotator_edit.text() == "anna"
    assert dialog.annotator_note.isVisibleTo(dialog)
    assert dialog.annotator_note.text() == "labels saved by anna, unchanged here"
    record = _send(qtbot, window, dataset)
    assert record["annotator"] == "anna"
    assert [p["annotator"] for p in record["annotators"]] == ["anna"]
    # the lead's own next case is not proposed as anna's
    assert remembered_dataset()["annotator"] == "Sam Senior"


def test_labels_changed_after_loading_are_sent_as_the_correctors_with_annas_work(
        qtbot, window, tmp_path):
    session, dataset = _annas_labels_loaded(qtbot, window, tmp_path)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    before = session.labels.array.sum()
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [8.0, 0, 0]])
    assert session.labels.array.sum() > before
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    assert dialog.annotator_edit.text() == "Sam Senior"
    assert dialog.annotator_note.text().startswith("labels saved by anna, changed here")
    record = _send(qtbot, window, dataset)
    assert record["annotator"] == "Sam Senior"
    assert [p["annotator"] for p in record["annotators"]] == ["anna", "Sam Senior"]
    assert remembered_dataset()["annotator"] == "Sam Senior"


def test_a_leads_send_of_a_worklist_case_anna_saved_is_hers(qtbot, window, tmp_path):
    """The team walk: the lead opens the worklist case, loads the labels anna saved (the offer on
    the notice bar), sends: the case is anna's, not the lead's."""
    from worklist_cases import open_worklist, worklist_folder

    from neuroview.dataset.worklist import Worklist
    from neuroview.io.nifti import load_nifti

    cases = worklist_folder(tmp_path)
    volume = load_nifti(cases / "a_case.nii.gz")
    array = np.zeros(volume.shape, np.uint8)
    array[10:20, 10:20, 10:20] = 1
    saved = cases / "a_case-labels.nii.gz"
    save_label_files(LabelMap(array, volume.ijk_to_ras, SegmentTable.from_values([1], {1: "lesion"})),
                     volume.ijk_to_ras, saved, work=[ANNA])
    anna = Worklist.open(cases, user="anna")
    anna.open_case("a_case.nii.gz")
    anna.set_labels("a_case.nii.gz", saved)
    anna.leave()
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    remember_dataset(dataset, "Sam Senior")
    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    qtbot.waitUntil(lambda: "Load labels" in window.notice_bar.buttons, timeout=10000)
    qtbot.mouseClick(window.notice_bar.buttons["Load labels"], Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy and window.editor.session.labels.array.any(),
                    timeout=10000)
    window.training_actions.send_dialog()
    assert window.training_actions.dialog.annotator_edit.text() == "anna"
    assert _send(qtbot, window, dataset)["annotator"] == "anna"
