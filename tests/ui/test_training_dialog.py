"""Send to training set and Next case as a user meets them (issue #10, items 2, 12, 13): what the
provenance says about drawn and model segments, errors kept inside the dialog with what was typed,
the red bar gone after a later success, Next case only with a worklist."""

from __future__ import annotations

import json
import re

import numpy as np
from editor_helpers import open_image, shortcut, write_image
from PySide6.QtCore import Qt
from training_dialog_steps import paint_segment_1, send_active_segment, send_to, tick, type_into

from neuroview.dataset.layout import init_dataset

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_send_records_the_drawn_segment_as_drawn_and_the_model_segment_against_its_proposal(
        qtbot, window, tmp_path):
    session = paint_segment_1(qtbot, window, tmp_path)
    drawn = session.labels.array == 1
    model = np.zeros(session.labels.shape, np.uint8)
    model[40:46, 40:46, 40:46] = 1                               # the model's lesion, 216 voxels
    window.editor.case.apply_model_result(model, {1: "lesion"}, model="fake@1.0")
    lesion = session.segments["lesion"].value
    assert np.array_equal(session.labels.array == 1, drawn)      # the drawn segment untouched
    dataset = init_dataset(tmp_path, "Lesions", ["background", "lesion", "Segment 1"])

    dialog = send_to(qtbot, window, dataset)
    assert not dialog.isVisible()
    assert "model: lesion Dice 1.000" in window.notice_bar.text
    assert "drawn: Segment 1" in window.notice_bar.text
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    segments = {s["name"]: s for s in record["segments"]}
    assert segments["Segment 1"]["source"] == "drawn" and segments["Segment 1"]["dice"] is None
    assert segments["Segment 1"]["changed_voxels"] == segments["Segment 1"]["final_voxels"] == drawn.sum()
    assert segments["lesion"]["source"] == "model" and segments["lesion"]["dice"] == 1.0
    assert segments["lesion"]["proposed_voxels"] == (session.labels.array == lesion).sum() == 216


def test_errors_stay_in_the_dialog_with_what_was_typed_and_the_red_bar_goes_after_success(
        qtbot, window, tmp_path):
    paint_segment_1(qtbot, window, tmp_path)
    window.editor.segment_command("rename", 1, "tumour")
    window.training_actions.send("")                             # an earlier failure: red bar
    assert "choose a dataset folder" in window.message_bar.text
    other = init_dataset(tmp_path / "other", "Vessels", ["background", "vessel"])

    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.annotator_edit, "dr.a")
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)          # no folder
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "choose a dataset folder" in dialog.error_label.text()
    assert dialog.annotator_edit.text() == "dr.a"

    type_into(qtbot, dialog.folder_edit, str(other))             # a dataset without "tumour"
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=30000)
    assert "'tumour' is not a label of Dataset501_Vessels" in dialog.label_question.text(), (
        dialog.error_label.text(), window.message_bar.text)           # asked, not sent
    assert not (other / "labelsTr" / "nv_0001.nii.gz").exists()
    assert dialog.isVisible() and not window.runner.busy
    assert dialog.folder_edit.text() == str(other) and dialog.annotator_edit.text() == "dr.a"
    assert dialog.send_button.isEnabled()

    tick(qtbot, dialog.create_check)         # a new dataset with that label
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "new"))
    type_into(qtbot, dialog.labels_edit, "background,tumour")
    assert not dialog.label_question.isVisible()                # another folder: the question went
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert not dialog.isVisible()
    assert window.message_bar.text == ""                         # the red bar went with the success
    assert list((tmp_path / "new").glob("Dataset*/labelsTr/nv_0001.nii.gz"))


def test_a_failure_after_creating_the_dataset_lets_a_second_send_add_to_it(qtbot, window, tmp_path):
    paint_segment_1(qtbot, window, tmp_path)
    window.editor.segment_command("rename", 1, "tumour")
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "new"))
    tick(qtbot, dialog.create_check)
    type_into(qtbot, dialog.labels_edit, "background,lesion")      # "tumour" is not a label
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=30000)
    assert "'tumour' is not a label of Dataset501_Lesions" in dialog.label_question.text(), (
        dialog.error_label.text(), window.message_bar.text, window.notice_bar.text)
    created = next((tmp_path / "new").glob("Dataset*"))
    assert dialog.folder_edit.text() == str(created) and not dialog.create_check.isChecked()
    window.editor.segment_command("rename", 1, "lesion")          # the user fixes the name
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert (created / "labelsTr" / "nv_0001.nii.gz").exists()


def test_sent_to_the_folder_holding_the_dataset_the_notice_names_the_dataset(qtbot, window, tmp_path):
    """The folder holding Dataset501_Lesions given (as the dialog's Browse... or a worklist user
    does): the notice said 'Added to the training set new' (the folder's name), and that folder
    was remembered as the training set for next time."""
    from neuroview.app.last_dataset import remembered_dataset

    paint_segment_1(qtbot, window, tmp_path)
    window.editor.segment_command("rename", 1, "lesion")
    dataset = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    window.training_actions.send(str(tmp_path / "sets"), "dr.a")
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert window.notice_bar.text.startswith("Added to the training set Dataset501_Lesions as nv_0001")
    assert remembered_dataset()["dataset"] == str(dataset)


def test_next_case_is_disabled_without_a_worklist_and_names_real_menu_items(qtbot, window, tmp_path):
    training = window.training_actions
    assert not training.next_action.isEnabled()
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)      # nothing happens, no error
    assert window.message_bar.text == ""
    file_items = {a.text().replace("&", "") for a in window.file_menu.actions()}
    for sub in [a.menu() for a in window.file_menu.actions() if a.menu()]:   # File > Worklist > ...
        file_items |= {f"{sub.title().replace('&', '')} > {a.text().replace('&', '')}"
                       for a in sub.actions()}
    named = re.findall(r"File > ([^)]*?\.\.\.)", training.next_action.toolTip())
    assert named and all(item in file_items for item in named), (named, file_items)
    training.next_case()                                        # from a script: the real names too
    named = re.findall(r"File > (.*?\.\.\.)", window.message_bar.text)
    assert named and all(item in file_items for item in named), (named, file_items)
    cases = tmp_path / "cases"
    cases.mkdir()
    write_image(cases, "a_case")
    training.open_worklist(cases)
    assert training.next_action.isEnabled()


def test_a_folder_without_a_dataset_points_to_the_create_box_in_the_dialog(qtbot, window, tmp_path):
    """An empty folder typed into the dialog: the error tells the user the window's way to make a
    dataset (the box right above), not a command line, and ticking it then works."""
    paint_segment_1(qtbot, window, tmp_path)
    (tmp_path / "empty").mkdir()
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "empty"))
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=30000)
    text = dialog.error_label.text()
    assert dialog.isVisible() and "no dataset" in text and dialog.create_check.text() in text, text
    assert "neuroview dataset init" not in text
    tick(qtbot, dialog.create_check)
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    assert list((tmp_path / "empty").glob("Dataset*/labelsTr/nv_0001.nii.gz"))


def test_new_dataset_from_a_model_result_does_not_learn_the_brain_mask(qtbot, window, tmp_path):
    """AI > Segment adds the model's brain mask as a segment (context); a new dataset made with the
    dialog's default labels stores it as background, as the store does for an existing dataset."""
    import nibabel as nib

    session = paint_segment_1(qtbot, window, tmp_path)
    session.undo()                                               # no drawn segment: only the model's
    session.undo()
    model = np.zeros(session.labels.shape, np.uint8)
    model[8:40, 8:40, 8:40] = 2                                  # brain
    model[20:26, 20:26, 20:26] = 1                               # lesion, 216 voxels
    window.editor.case.apply_model_result(model, {1: "lesion", 2: "brain"}, model="fake@1.0")
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "sets"))
    tick(qtbot, dialog.create_check)
    assert dialog.labels_edit.text() == "background,lesion"
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nv_0001" in window.notice_bar.text, timeout=30000)
    dataset = next((tmp_path / "sets").iterdir())
    assert json.loads((dataset / "dataset.json").read_text())["labels"] == {"background": 0, "lesion": 1}
    stored = np.asarray(nib.load(dataset / "labelsTr" / "nv_0001.nii.gz").dataobj)
    assert np.array_equal(stored, (model == 1).astype(np.uint8))


def test_a_new_dataset_labelled_otherwise_than_the_default_model_is_told_it_cannot_fine_tune_it(
        qtbot, window, tmp_path):
    """An AI click object lands in 'Segment 1': a new dataset labelled 'background,Segment 1' (as
    proposed until session 44, now typed) is told at once that Train model... cannot fine-tune the
    default lesionseg on it; it was refused only once cases had been sent ('dataset labels differ
    from the base model's')."""
    from neuroview.ai.registry import Registry

    default = Registry().default_ref()
    paint_segment_1(qtbot, window, tmp_path)
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    assert not dialog.labels_note.isVisible()            # an existing dataset: nothing to say
    tick(qtbot, dialog.create_check)
    assert dialog.labels_edit.text() == "background,lesion"   # proposed for 'Segment 1'
    assert not dialog.labels_note.isVisible()
    type_into(qtbot, dialog.labels_edit, "background,Segment 1")
    assert dialog.labels_note.isVisible()
    assert dialog.labels_note.text().startswith(f"The default model {default} segments lesion:")
    type_into(qtbot, dialog.labels_edit, "background,lesion")
    assert not dialog.labels_note.isVisible()   # sent so: tests/ui/test_send_new_dataset_names.py


def test_send_says_an_ai_click_segment_was_made_with_ai_click_not_drawn_by_hand(qtbot, window, tmp_path):
    from ai_click_cases import CENTRE, _answered_click, _setup

    session, _, _ = _setup(qtbot, window, tmp_path)
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    name, dataset = send_active_segment(qtbot, window, session, tmp_path)
    assert f"AI click: {name}" in window.notice_bar.text
    assert "drawn" not in window.notice_bar.text
    record = json.loads((dataset / "provenance" / "nv_0001.json").read_text())
    assert record["interaction"]["segments"][name] == {"model": "grow-from-seeds", "prompts": {"point+": 1}}


def test_a_training_set_removed_while_the_window_is_open_is_said_to_be_gone(qtbot, window, tmp_path):
    """The remembered dataset folder deleted (or moved) while the window is open: Send said "no
    dataset here", as of a folder that never held one."""
    import shutil

    paint_segment_1(qtbot, window, tmp_path)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    shutil.rmtree(tmp_path / "sets")
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(folder))
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=30000)
    text = dialog.error_label.text()
    assert dialog.isVisible() and text.startswith(f"{folder.name} in …/sets: this folder does not "
                                                  "exist (removed or moved?)"), text
    assert dialog.create_check.text() in text and dialog.folder_edit.text() == str(folder)


def test_creating_a_dataset_of_a_name_the_folder_already_holds_is_refused_in_the_dialog(
        qtbot, window, tmp_path):
    """*Create a new dataset in this folder* ticked on a folder already holding that dataset (a
    second annotator who did not know): the dialog says so in red; it made Dataset502_Lesions
    beside Dataset501_Lesions, and the folder then named neither ("holds 2 datasets")."""
    paint_segment_1(qtbot, window, tmp_path)
    init_dataset(tmp_path / "ds", "Lesions", ["background", "Segment 1"])
    window.training_actions.send_dialog()
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(tmp_path / "ds"))
    tick(qtbot, dialog.create_check)
    type_into(qtbot, dialog.name_edit, "Lesions")
    type_into(qtbot, dialog.annotator_edit, "dr.b")
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled() and dialog.error_label.isVisible(),
                    timeout=30000)
    text = dialog.error_label.text()
    assert dialog.isVisible() and "already holds the dataset Lesions (Dataset501_Lesions)" in text, text
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == ["Dataset501_Lesions"]
    assert not list((tmp_path / "ds").glob("*/labelsTr/*.nii.gz"))
