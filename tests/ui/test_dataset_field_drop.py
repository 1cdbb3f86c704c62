"""The dataset folder fields of *Send to training set* and *AI > Train model...* take a folder
dragged from a file manager, and a path pasted in quotes or as a ``file://`` URL, as *Open
follow-up...*'s fields do (s30 walk): a plain text field refused the drag or wrote
``file:///...`` there, and the quotes of Windows' *Copy as path* stayed in the folder's name."""

from __future__ import annotations

from file_drops import drop_on, file_drag
from PySide6.QtCore import QUrl

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_send_to_training_set_takes_a_dropped_or_quoted_folder(qtbot, tmp_path):
    from neuroview.ui.training_set_dialog import TrainingSetDialog

    folder = tmp_path / "sets ä" / "Dataset001_Lesions"
    folder.mkdir(parents=True)
    dialog = TrainingSetDialog(["lesion"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    drop_on(dialog.folder_edit, file_drag(folder, with_text=False))
    assert dialog.folder_edit.text() == str(folder) and dialog.choice()["folder"] == str(folder)
    dialog.folder_edit.setText(f'"{folder}"')
    assert dialog.choice()["folder"] == str(folder)


def test_train_model_takes_a_dropped_or_pasted_dataset(qtbot, window, tmp_path):
    folder = tmp_path / "raw ö" / "Dataset002_Heads"
    folder.mkdir(parents=True)
    dialog = window.model_actions.open_train_dialog()
    qtbot.waitExposed(dialog)
    drop_on(dialog.dataset_edit, file_drag(folder, with_text=True))
    assert dialog.dataset_edit.text() == str(folder)
    assert dialog.request().dataset == str(folder)
    dialog.dataset_edit.setText(QUrl.fromLocalFile(str(folder)).toString(QUrl.FullyEncoded))
    assert dialog.request().dataset == str(folder)
