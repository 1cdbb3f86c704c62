"""*File > Adjudicate...* on a case of a NIfTI worklist: the readers are the label files the
annotators saved for it (each in a folder of their own, which the worklist recorded per
annotator: ``labels_of``), the lesions are taken by clicks, *Apply* builds the
label map and *Save labels...* (no SEG: the image is not DICOM) writes it with the adjudicator
named in its sidecar. Until session 49 *Find and compare* said ``comparing readers needs a DICOM
image``: a team's NIfTI cases could not be adjudicated in the window."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from readers_helpers import find_and_compare
from worklist_cases import open_worklist, worklist_folder

from neuroview.app.label_files import save_label_files, sidecar_path
from neuroview.app.save_folder import remember_folder
from neuroview.core.labels import LabelMap, SegmentTable
from neuroview.dataset.worklist import Worklist
from neuroview.io.nifti import load_nifti

ANNA = {"annotator": "anna", "session": "5f2a9c01d3e4b6a7", "editing_seconds": 70.0, "hand_edits": 3}
BEN = {"annotator": "ben", "session": "0b1c2d3e4f5a6b7c", "editing_seconds": 40.0, "hand_edits": 2}


def _save(volume, blocks, path, work, user, cases) -> None:
    array = np.zeros(volume.shape, np.uint8)
    for block in blocks:
        array[block] = 1
    save_label_files(LabelMap(array, volume.ijk_to_ras, SegmentTable.from_values([1], {1: "lesion"})),
                     volume.ijk_to_ras, path, work=work)
    Worklist.open(cases, user=user).set_labels("a_case.nii.gz", path)   # their Save labels


def test_a_nifti_worklist_case_is_adjudicated_in_the_window(qtbot, window, tmp_path, monkeypatch):
    cases = worklist_folder(tmp_path)
    volume = load_nifti(cases / "a_case.nii.gz")
    first, second, bens = np.s_[5:15, 5:15, 10:16], np.s_[28:36, 8:16, 10:16], np.s_[7:17, 5:15, 10:16]
    # each under their own name, beside the case (a worklist names labels in its folders only)
    _save(volume, [first, second], cases / "a_case-labels.nii.gz", [ANNA], "anna", cases)
    _save(volume, [bens], cases / "mine.nii.gz", [BEN], "ben", cases)

    open_worklist(qtbot, window, cases, case_id="a_case.nii.gz")
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Adjudicate...").trigger()
    dialog = window.pacs_actions.readers.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.method_box.setCurrentText("Majority vote")
    find_and_compare(qtbot, window, dialog)
    assert dialog.status.text().startswith("2 readers; consensus by")
    assert [dialog.legend.item(row, 0).text() for row in range(2)] == ["anna", "ben"]
    assert not dialog.server_box.isEnabled()   # a server's SEGs refer to DICOM series
    assert dialog.tabs.currentIndex() == 1 and dialog.lesions.rowCount() == 2
    for row, reader in ((0, "ben"), (1, "anna")):
        dialog.lesions.selectRow(row)
        qtbot.mouseClick(dialog.take_buttons[reader], Qt.LeftButton)
    dialog.adjudicator_edit.setText("")
    qtbot.keyClicks(dialog.adjudicator_edit, "Sam Senior")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    lesion = window.editor.session.labels.segments.by_name("lesion").value
    expected = np.zeros(volume.shape, bool)
    expected[bens] = expected[second] = True
    assert np.array_equal(window.editor.session.labels.array == lesion, expected)
    assert dialog.save_button.text() == "Save labels..." and dialog.save_button.isEnabled()
    assert not dialog.send_button.isEnabled()   # no SEG of a NIfTI image goes to a server
    assert dialog.progress.text() == ("All 2 lesions decided and applied by Sam Senior: Save labels or "
                                      "Add to training set.")

    # Save labels... proposes the case's folder, not the folder the lead saved to last
    remember_folder(tmp_path / "ben" / "mine.nii.gz")
    proposed = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, start, filters, **k: (proposed.append(start), ("", ""))[1])
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert proposed == [str(cases / "a_case-adjudicated-labels.nii.gz")]
    saved = tmp_path / "a_case-adjudicated-labels.nii.gz"
    dialog.save_labels(saved)
    assert window.edit_actions.saving.wait(), "the save failed"
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved a_case-adjudicated-labels.nii.gz"),
                    timeout=5000)
    (row,) = json.loads(sidecar_path(saved).read_text())
    assert row["adjudicated"] == {"by": "Sam Senior", "drawn": False}
    assert [w["annotator"] for w in row["work"]][:2] == ["anna", "ben"]
