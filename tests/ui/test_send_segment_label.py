"""Send to training set with a painted "Segment 1" into a dataset labelled lesion, edema: the
dialog asks which label it is (it was sent as label 1, lesion, by its number, without a word),
sends it as the label chosen, and the window remembers the choice for that dataset."""

from __future__ import annotations

import json

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, click_preview, stroke
from PySide6.QtCore import Qt
from training_dialog_steps import paint_segment_1, type_into

from neuroview.dataset.layout import init_dataset
from neuroview.io.nifti import load_nifti


def test_segment_1_is_asked_about_then_sent_as_the_label_chosen(qtbot, window, tmp_path):
    session = paint_segment_1(qtbot, window, tmp_path)
    painted = session.labels.array == 1
    dataset = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion", "edema"])
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(dataset))
    type_into(qtbot, dialog.annotator_edit, "dr.a")
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.label_question.isVisible(), timeout=30000)
    assert "'Segment 1' is not a label of Dataset501_Lesions: which label is it?" in (
        dialog.label_question.text())
    assert not (dataset / "labelsTr" / "nv_0001.nii.gz").exists()     # nothing sent yet
    box = dialog.label_boxes["Segment 1"]
    assert [box.itemText(i) for i in range(box.count())] == ["lesion", "edema", "background"]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_Down)                                   # lesion -> edema
    assert box.currentText() == "edema" and dialog.send_button.text() == "Send"

    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert "Segment 1 sent as edema" in window.notice_bar.text
    stored = np.asarray(load_nifti(dataset / "labelsTr" / "nv_0001.nii.gz").array)
    assert set(np.unique(stored[painted])) == {2} and (stored == 1).sum() == 0

    window.training_actions.send(str(dataset), "dr.b")                # remembered: no question
    qtbot.waitUntil(lambda: "Replaced the label of nv_0001" in window.notice_bar.text, timeout=30000)
    assert "Segment 1 sent as edema" in window.notice_bar.text
    stored = np.asarray(load_nifti(dataset / "labelsTr" / "nv_0001.nii.gz").array)
    assert set(np.unique(stored[painted])) == {2}


def test_without_the_dialog_an_unnamed_label_is_an_error_naming_the_segment(qtbot, window, tmp_path):
    paint_segment_1(qtbot, window, tmp_path)
    dataset = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    window.training_actions.send(str(dataset), "dr.a")
    qtbot.waitUntil(lambda: "Segment 1" in window.message_bar.text, timeout=30000)
    assert "segment 'Segment 1' is not a label of this dataset (lesion)" in window.message_bar.text
    assert not (dataset / "labelsTr" / "nv_0001.nii.gz").exists()


def test_a_grow_from_seeds_seed_segment_can_be_sent_as_background(qtbot, window, tmp_path):
    """Grow from seeds wants a second seed segment around the lesion (Slicer's workflow). Its grown
    region is no label: Send offered the dataset's labels alone for it (``lesion``), and sending
    stored the normal tissue around the lesion as lesion (session 52's annotation walk: 7,047
    voxels). Now *background* is offered last, and leaves it out."""
    session = paint_segment_1(qtbot, window, tmp_path)              # the lesion's seed
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)              # "Segment 2": what is not lesion
    around = INSIDE_CASE_RAS + [0.0, 14.0, 0.0]
    stroke(window, "axial", [around, around + [16.0, 0, 0]])
    panel.select_tool("grow")
    click_preview(qtbot, window)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    grown = session.labels.array.copy()
    assert (grown == 1).sum() > 20 and (grown == 2).sum() > 100
    dataset = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(dataset))
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.label_question.isVisible(), timeout=30000)
    assert "background leaving it out" in dialog.label_question.text()
    seeds = dialog.label_boxes["Segment 2"]
    assert [seeds.itemText(i) for i in range(seeds.count())] == ["lesion", "background"]
    assert dialog.label_boxes["Segment 1"].currentText() == "lesion"
    seeds.setFocus()
    qtbot.keyClick(seeds, Qt.Key_Down)                               # lesion -> background
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert "Segment 2 sent as background" in window.notice_bar.text
    stored = np.asarray(load_nifti(dataset / "labelsTr" / "nv_0001.nii.gz").array)
    assert np.array_equal(stored, (grown == 1).astype(stored.dtype))   # the lesion alone
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert [(s["label"], s["name"], s["final_voxels"]) for s in record["segments"]] == [
        (1, "lesion", int((grown == 1).sum()))]
