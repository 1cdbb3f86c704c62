"""Two annotators send one image to the training set: the second is asked before the first's label
is replaced, also when the first's send lands while the second's is on its way, and asked again
when a newer label came after the question (both were replaced unseen: the last send won)."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
from editor_helpers import paint_a_lesion
from PySide6.QtCore import Qt

from neuroview.core.labels import LabelMap
from neuroview.dataset import store
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.provenance import Provenance


def _other_annotator_sends(dataset, volume, who):
    """Another window's send of the same image: one voxel labelled, by ``who``."""
    array = np.zeros(volume.shape, dtype=np.uint8)
    array[0, 0, 0] = 1
    store.add_case(dataset, volume, LabelMap(array, volume.ijk_to_ras),   # values, no names
                   Provenance(annotator=who))


def _label(dataset):
    return np.asarray(nib.load(dataset / "labelsTr" / "nv_0001.nii.gz").dataobj)


def _dialog(window, dataset):
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(dataset))
    dialog.annotator_edit.setText("dr.a")
    return dialog


def test_a_send_landing_during_this_send_is_asked_about(qtbot, window, tmp_path, monkeypatch):
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    looked = []
    real_find_image = store.find_image

    def find_image_then_the_other_sends(folder, image, image_id=None):   # dr.b's send lands after
        found = real_find_image(folder, image, image_id)                  # the look
        if not looked:
            _other_annotator_sends(folder, image, "dr.b")
        looked.append(found)
        return found

    monkeypatch.setattr(store, "find_image", find_image_then_the_other_sends)
    dialog = _dialog(window, dataset)
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.replace_label.isVisible() or "nv_0001" in window.notice_bar.text,
                    timeout=30000)
    assert "Replaced" not in window.notice_bar.text, "dr.b's label was replaced unseen"
    assert "as nv_0001" in dialog.replace_label.text() and "by dr.b" in dialog.replace_label.text()
    assert _label(dataset).sum() == 1                      # dr.b's label is kept until Replace
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Replaced the label of nv_0001" in window.notice_bar.text, timeout=30000)
    assert np.array_equal(_label(dataset), session.labels.array)


def test_replace_asks_again_when_a_newer_label_came_since(qtbot, window, tmp_path):
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    _other_annotator_sends(dataset, volume, "dr.b")
    dialog = _dialog(window, dataset)
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.replace_label.isVisible(), timeout=30000)
    assert "by dr.b" in dialog.replace_label.text()

    _other_annotator_sends(dataset, volume, "dr.c")       # within the same second, maybe
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)    # Replace (dr.b's label, as it said)
    qtbot.waitUntil(lambda: "by dr.c" in dialog.replace_label.text()
                    or "Replaced" in window.notice_bar.text, timeout=30000)
    assert "Replaced" not in window.notice_bar.text, "dr.c's newer label was replaced unseen"
    assert dialog.isVisible() and dialog.send_button.text() == "Replace"
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert record["annotator"] == "dr.c" and _label(dataset).sum() == 1
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Replaced the label of nv_0001" in window.notice_bar.text, timeout=30000)
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert record["annotator"] == "dr.a" and [r["annotator"] for r in record["replaced"]] == ["dr.b", "dr.c"]
    assert np.array_equal(_label(dataset), session.labels.array)
