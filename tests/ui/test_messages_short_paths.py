"""A dialog's message names a file or folder by name and folder (``app.shown_path``), as the
notices and the red bar do since session 32: the Send, Train and Rank dialogs printed the whole
path (``/home/ana/…/sets/Dataset501_Lesions: this folder does not exist``), the problem pushed
out of sight and a user's folder names on a shared screen."""

from __future__ import annotations

import shutil

from PySide6.QtCore import Qt
from training_dialog_steps import paint_segment_1, type_into

from neuroview.dataset.layout import init_dataset


def test_send_train_and_rank_name_a_missing_folder_by_name_and_folder(qtbot, window, tmp_path, monkeypatch):
    from neuroview.ui import training_runner

    paint_segment_1(qtbot, window, tmp_path)
    folder = init_dataset(tmp_path / "sets", "Lesions", ["background", "lesion"])
    shutil.rmtree(tmp_path / "sets")
    short = f"{folder.name} in …/sets"

    window.training_actions.send_dialog()                 # Send to training set...
    dialog = window.training_actions.dialog
    type_into(qtbot, dialog.folder_edit, str(folder))
    qtbot.mouseClick(dialog.send_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.send_button.isEnabled(), timeout=30000)
    text = dialog.error_label.text()
    assert text.startswith(f"{short}: this folder does not exist (removed or moved?)"), text
    assert str(tmp_path) not in text
    assert dialog.error_label.toolTip().startswith(f"{folder}: this folder")   # whole on hover
    dialog.reject()

    window.model_actions.open_train_dialog()              # AI > Train model...
    train = window.model_actions.train_dialog
    train.dataset_edit.setText(str(folder))
    train.start_button.click()
    assert not train.process.running
    assert train.status_label.text() == f"the dataset folder {short} does not exist (removed or moved?)"

    monkeypatch.setattr(training_runner, "neuroview_command", lambda arguments: ("sleep", ["60"]))
    rank = window.training_actions.open_rank_dialog()     # File > Worklist > Rank cases to annotate...
    rank.dataset_edit.setText(str(folder))
    rank.cases_edit.setText(str(tmp_path / "cases"))
    rank.rank_button.click()
    assert not rank.running
    assert rank.status_label.text() == f"the training set {short} does not exist (removed or moved?)"
    rank.dataset_edit.setText(str(tmp_path))
    rank.rank_button.click()
    assert rank.status_label.text() == f"cases in …/{tmp_path.name} does not exist (removed or moved?)"
