"""A new dataset made from a segment never renamed ("Segment 1", as *Add* names it) offers a
label a model can later give its output: the default model's label, else "lesion", said in the
dialog; Send writes that name in dataset.json and the painted voxels under it, with no second
question. Until session 44 the dataset's label was "Segment 1", and a model trained on it called
its lesions so."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import Qt
from training_dialog_steps import paint_segment_1, tick, type_into

from neuroview.io.nifti import load_nifti


def test_segment_1_goes_into_a_new_dataset_as_lesion(qtbot, window, tmp_path):
    session = paint_segment_1(qtbot, window, tmp_path)
    painted = session.labels.array == 1
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    tick(qtbot, dialog.create_check)
    assert dialog.labels_edit.text() == "background,lesion"
    assert dialog.renamed_note.isVisible() and dialog.renamed_note.text() == (
        "'Segment 1' was never renamed: it is sent as 'lesion' (the name a model trained on this "
        "dataset gives it; type another in Labels)")
    type_into(qtbot, dialog.labels_edit, "background,Segment 1")   # kept as it was: no note
    assert not dialog.renamed_note.isVisible()
    type_into(qtbot, dialog.labels_edit, "background,lesion")
    assert dialog.renamed_note.isVisible()
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "sets"))
    type_into(qtbot, dialog.annotator_edit, "dr.a")
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert "Segment 1 sent as lesion" in window.notice_bar.text and not dialog.label_boxes
    (dataset,) = (tmp_path / "sets").glob("Dataset*")
    assert json.loads((dataset / "dataset.json").read_text())["labels"] == {"background": 0, "lesion": 1}
    stored = load_nifti(dataset / "labelsTr" / "nv_0001.nii.gz").array
    assert np.array_equal(stored == 1, painted) and set(np.unique(stored)) == {0, 1}


def test_names_proposed_for_segments_never_renamed():
    from neuroview.dataset.segment_labels import proposed_labels

    assert proposed_labels(["Segment 1", "Segment 2"]) == {"Segment 1": "lesion", "Segment 2": "lesion 2"}
    assert proposed_labels(["lesion", "Segment 2"], ["lesion", "edema"]) == {"Segment 2": "edema"}
    assert proposed_labels(["tumour", "Segment 10"]) == {"Segment 10": "lesion"}
    assert proposed_labels(["Segment 1 left"]) == {}
