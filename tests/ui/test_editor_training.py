"""Training data from the window: Send to training set, and the worklist with Next case."""

from __future__ import annotations

import json

import nibabel as nib
import numpy as np
from editor_helpers import (
    INSIDE_CASE_RAS,
    open_case,
    paint_a_lesion,
    save_and_wait,
    shortcut,
    stroke,
    wait_for_session,
    write_image,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from neuroview.app.shown_time import shown_time
from neuroview.dataset.layout import init_dataset
from neuroview.dataset.worklist import Worklist

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_send_to_training_set_creates_a_case(qtbot, window, tmp_path):
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    painted = session.labels.array.copy()
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(tmp_path / "datasets"))
    dialog.create_check.setChecked(True)                    # a new dataset: name and labels
    dialog.name_edit.setText("Lesions")
    assert dialog.labels_edit.text() == "background,lesion"  # proposed from the segments
    dialog.annotator_edit.setText("dr.a")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    folder = tmp_path / "datasets" / "Dataset501_Lesions"
    labels = nib.load(folder / "labelsTr" / "nv_0001.nii.gz")
    assert np.array_equal(np.asarray(labels.dataobj), painted)   # "lesion" is label 1 there
    assert np.allclose(labels.affine, volume.ijk_to_ras)
    image = nib.load(folder / "imagesTr" / "nv_0001_0000.nii.gz")
    assert np.allclose(np.asarray(image.dataobj), volume.array)
    record = json.loads((folder / "provenance" / "nv_0001.json").read_text())
    assert record["annotator"] == "dr.a" and record["status"] == "final"
    assert record["editing_seconds"] >= 0 and record["segments"][0]["final_voxels"] == painted.sum()


def _send_again(qtbot, window):
    """Open the dialog (the remembered dataset) and click Send: the same image is asked about."""
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    assert dialog.folder_edit.text().endswith("Dataset501_Lesions")
    assert dialog.annotator_edit.text() == "dr.a"
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.replace_label.isVisible(), timeout=30000)
    assert "already in Dataset501_Lesions as nv_0001" in dialog.replace_label.text()
    assert dialog.send_button.text() == "Replace" and dialog.send_button.isEnabled()
    return dialog


def test_sending_the_same_image_again_asks_then_replaces(qtbot, window, tmp_path):
    volume, session = paint_a_lesion(qtbot, window, tmp_path)
    first = session.labels.array.copy()
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    dialog.folder_edit.setText(str(dataset))
    dialog.annotator_edit.setText("dr.a")
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    labels_file = dataset / "labelsTr" / "nv_0001.nii.gz"
    # a correction after sending
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 12.0, 0], INSIDE_CASE_RAS + [8.0, 12.0, 0]])
    second = session.labels.array.copy()
    assert second.sum() > first.sum()

    # Cancel: nothing is sent, the case keeps its first label.
    dialog = _send_again(qtbot, window)
    added_at = json.loads((dataset / "provenance" / "nv_0001.json").read_text())["added_at"]
    assert f"(added {shown_time(added_at)} by dr.a)" in dialog.replace_label.text()   # local time
    assert "UTC" not in dialog.replace_label.text()
    assert np.array_equal(np.asarray(nib.load(labels_file).dataobj), first)
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Cancel), Qt.LeftButton)
    assert not dialog.isVisible()
    assert np.array_equal(np.asarray(nib.load(labels_file).dataobj), first)

    # Replace: the same case id gets the new label; no second case of this image.
    dialog = _send_again(qtbot, window)
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Replaced the label of nv_0001" in window.notice_bar.text, timeout=30000)
    assert not dialog.isVisible()
    assert sorted(p.name for p in (dataset / "labelsTr").iterdir()) == ["nv_0001.nii.gz"]
    assert np.array_equal(np.asarray(nib.load(labels_file).dataobj), second)
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert record["segments"][0]["final_voxels"] == second.sum() and len(record["replaced"]) == 1
    assert json.loads((dataset / "dataset.json").read_text())["numTraining"] == 1


def test_sending_a_case_with_no_label_says_so(qtbot, window, tmp_path):
    """A case sent with nothing labelled (no lesion, or sent before anything was drawn) teaches
    the model that the image holds nothing: the notice says so (it read as any other case)."""
    open_case(qtbot, window, tmp_path)
    dataset = init_dataset(tmp_path / "datasets", "Lesions", ["background", "lesion"])
    window.training_actions.send(str(dataset), annotator="dr.a")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert "no voxel labelled" in window.notice_bar.text
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert all(segment["final_voxels"] == 0 for segment in record["segments"])


def test_worklist_next_case_and_resume(qtbot, window, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    write_image(cases, "a_case", "ras")
    write_image(cases, "b_case", "lps")
    dataset = init_dataset(tmp_path, "Lesions", ["background", "Segment 1"])
    training = window.training_actions
    training.open_worklist(cases)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=30000)
    assert window.controller.volume.source_path.endswith("a_case.nii.gz")
    session = wait_for_session(qtbot, window)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [np.zeros(3)])
    training.send(str(dataset), annotator="dr.b")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert Worklist.open(cases).case("a_case.nii.gz").status == "in_training_set"
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)   # Next case
    qtbot.waitUntil(lambda: window.controller.volume.source_path.endswith("b_case.nii.gz")
                    and window.editor.session is not None and window.editor.session is not session,
                    timeout=30000)
    assert Worklist.open(cases).resume().case_id == "b_case.nii.gz"   # reopening resumes here
    training.next_case()                                               # b is the only one left
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    assert training.worklist_id == "b_case.nii.gz"


def test_worklist_marks_the_case_on_screen_not_one_that_failed_to_open(qtbot, window, tmp_path):
    """Next case to a file that cannot be read goes on past it (the notice bar says so), and
    sending then marks the case on screen, not the unreadable one.
    A file opened by hand (File > Open) during a worklist is no worklist case: sending it marks
    nothing."""
    cases = tmp_path / "cases"
    cases.mkdir()
    first, _ = write_image(cases, "a_case", "ras")
    (cases / "b_case.nii.gz").write_bytes(b"not a NIfTI file")
    write_image(cases, "c_case", "lps")
    other, _ = write_image(tmp_path, "not_in_the_list", "oblique")   # not c_case's image
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion"])
    training = window.training_actions
    training.open_worklist(cases)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
    session = window.editor.session
    session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)           # Next case: b_case, unreadable
    qtbot.waitUntil(lambda: window.controller.volume.source_path.endswith("c_case.nii.gz")
                    and window.editor.session is not None and not window.runner.busy, timeout=30000)
    assert window.notice_bar.text.startswith("b_case.nii.gz could not be read (")   # passed over
    assert training.worklist_id == "c_case.nii.gz"

    training.watch.timer.stop()   # the Worklist panel's row follows the send itself
    training.send(str(dataset), annotator="dr.b")                      # the case on screen
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert training.panel.rows()[2][2:4] == ("in the training set (nv_0001)", "done")
    statuses = {c.case_id: (c.status, c.training_case) for c in Worklist.open(cases).cases}
    assert statuses == {"a_case.nii.gz": ("corrected", ""), "b_case.nii.gz": ("new", ""),
                        "c_case.nii.gz": ("in_training_set", "nv_0001")}

    window.open_paths([other])                                          # by hand, outside the list
    qtbot.waitUntil(lambda: window.controller.volume.source_path == str(other)
                    and window.editor.session is not None and not window.runner.busy, timeout=30000)
    assert training.worklist_id == ""
    window.editor.session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    training.send(str(dataset), annotator="dr.b")
    qtbot.waitUntil(lambda: "nv_0002" in window.notice_bar.text, timeout=30000)
    assert Worklist.open(cases).case("c_case.nii.gz").training_case == "nv_0001"


def test_a_worklist_case_opened_again_offers_the_labels_saved_for_it(qtbot, window, tmp_path):
    """Save labels on a worklist case, quit (the workspace set aside, as after Save), open the
    worklist again: the case opens where the user stopped with an empty label map, and the
    notice offers the file saved; Load labels brings back the voxels painted."""
    cases = tmp_path / "cases"
    cases.mkdir()
    write_image(cases, "a_case", "ras")
    write_image(cases, "b_case", "lps")
    training = window.training_actions
    training.open_worklist(cases)
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    painted = window.editor.session.labels.array.copy()
    assert painted.any()
    # beside the case, where Save labels proposes (a shared worklist names labels in its own
    # folders only: tests/dataset/test_worklist_confined.py)
    saved = save_and_wait(window, cases / "a_labels.nii.gz")
    case = Worklist.open(cases).case("a_case.nii.gz")
    assert (case.labels, case.status) == (str(saved.resolve()), "corrected")
    assert len(Worklist.open(cases).cases) == 2                         # the labels are no case

    window.edit_actions.close_case(set_workspace_aside=True)            # quit after Save
    training.worklist = None
    training.open_worklist(cases)                                       # the next day
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy, timeout=30000)
    assert window.controller.volume.source_path.endswith("a_case.nii.gz")
    assert not window.editor.session.labels.array.any()
    assert window.notice_bar.text.startswith("The labels of this case were saved to "
                                             "a_labels.nii.gz; load them?")   # no folder path
    qtbot.mouseClick(window.notice_bar.buttons["Load labels"], Qt.LeftButton)
    qtbot.waitUntil(lambda: window.editor.session.labels.array.any() and not window.runner.busy,
                    timeout=30000)
    assert np.array_equal(window.editor.session.labels.array, painted)
    assert not window.editor.case.modified          # the file holds them: closing asks nothing
