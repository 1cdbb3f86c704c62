"""*File > Adjudicate...* after a restore: two readers compared, the adjudicator took Bob's outline
and applied it, then the process was killed (SIGKILL); the series opened again and *Restore*
clicked. The dialog shows the lesion as taken, its *Save SEG...* and *Add to training set...* work
with the restored record (who adjudicated, which outline per lesion, the readers). Until session
38 they stayed greyed out until the readers were compared again, though the window's *Send to
training set* carried the record."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
import pydicom
from editor_helpers import shortcut
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from readers_helpers import restored_adjudication, study

from neuroview.io import load
from neuroview.io.seg import load_seg


def test_the_dialogs_buttons_work_after_a_restore(qtbot, window, tmp_path, mni_volume, monkeypatch):
    folder = study(tmp_path, mni_volume, ("Smith^Ann", "Jones^Bob"), huge=False)
    volume = load(folder)
    bob = np.zeros(volume.shape, bool)
    bob[5:13, 4:12, 3:8] = True                 # reader 2's box (readers_helpers.study)
    dialog = restored_adjudication(qtbot, window, folder)
    case = window.editor.case
    value = case.labels.segments.by_name("lesion").value
    assert np.array_equal(case.labels.array == value, bob)
    assert dialog.tabs.currentIndex() == 1
    shown = [[dialog.lesions.item(0, c).text() for c in range(dialog.lesions.columnCount())]]
    assert shown == [["1", str(bob.sum()), "Bob Jones"]]
    assert dialog.adjudicator_edit.text() == "Sam Senior"
    assert dialog.progress.text() == ("Restored: 1 lesion as Sam Senior adjudicated it (readers: Ann "
                                      "Smith, Bob Jones). Find and compare to decide again.")
    assert dialog.method_box.currentText() == "Majority vote"   # as the readers were compared
    assert not dialog.apply_button.isEnabled()  # the readers' outlines are not loaded: compare again
    assert dialog.save_button.isEnabled() and dialog.training_button.isEnabled(), dialog.status.text()
    restored = ("Restored: Sam Senior's adjudicated version is the label map: save it, send it or add "
                "it to a training set.")
    assert dialog.status.text() == restored
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the restored Apply taken back
    assert dialog.status.text().startswith("Ctrl+Z took the Apply back: the label map is as it was")
    assert not dialog.save_button.isEnabled()
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert dialog.status.text() == restored and dialog.save_button.isEnabled()
    assert not dialog.send_button.isEnabled()   # no server configured
    dialog.lesions.selectRow(0)                 # the views go to the lesion
    crosshair = np.linalg.inv(volume.ijk_to_ras) @ [*window.controller.state.crosshair_ras, 1]
    assert bob[tuple(np.round(crosshair[:3]).astype(int))]

    from neuroview.ui import save_question

    target = tmp_path / "out" / "adjudicated.dcm"
    target.parent.mkdir()
    monkeypatch.setattr(save_question.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert np.array_equal(load_seg(target, volume=volume).array > 0, bob)
    head = pydicom.dcmread(target, stop_before_pixels=True)
    assert (str(head.ContentCreatorName), head.SeriesDescription) == \
        ("Senior^Sam", "Adjudicated lesions - Sam Senior's version")
    beside = json.loads((tmp_path / "out" / "adjudicated.dcm.provenance.json").read_text())
    assert beside["adjudicator"] == "Sam Senior"
    assert sorted(r["reader"] for r in beside["readers"]) == ["Jones^Bob", "Smith^Ann"]
    assert [(x["lesion"], x["taken_from"], x["edited_voxels"]) for x in beside["lesions"]] == \
        [(1, "Jones^Bob", 0)]

    qtbot.mouseClick(dialog.training_button, Qt.LeftButton)
    send = window.training_actions.dialog
    qtbot.waitUntil(send.isVisible, timeout=5000)
    assert send.annotator_edit.text() == "Sam Senior"
    send.folder_edit.setText(str(tmp_path / "datasets"))
    send.create_check.setChecked(True)
    send.name_edit.setText("Lesions")
    qtbot.mouseClick(send.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    dataset = tmp_path / "datasets" / "Dataset501_Lesions"
    labels = np.asarray(nib.load(dataset / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert np.array_equal(labels > 0, bob)
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert record["annotator"] == "Sam Senior"
    assert record["adjudication"]["adjudicator"] == "Sam Senior"
    assert [(x["taken_from"], x["edited_voxels"]) for x in record["adjudication"]["lesions"]] == \
        [("Jones^Bob", 0)]
