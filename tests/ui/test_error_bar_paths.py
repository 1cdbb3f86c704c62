"""The red error bar names a file by its name and folder, as the saved-file notices do
(``app.error_paths``), the whole message with its full path on hover; a worklist whose lock file
cannot be opened names the lock file. The bar showed
``/tmp/.../cases/.neuroview-worklist.json: worklist state not saved: Is a directory``, the state
file named where the lock file was the problem."""

from __future__ import annotations

from editor_helpers import shortcut
from PySide6.QtCore import Qt
from worklist_cases import open_worklist, worklist_folder

from neuroview.app.error_paths import short_error


def test_a_lock_file_that_cannot_be_opened_is_named_short(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    worklist = window.training_actions.worklist
    lock = worklist.state_path.with_name(worklist.state_path.name + ".lock")
    lock.unlink(missing_ok=True)
    lock.mkdir()                                 # something made a folder of the lock file
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)               # Mark done
    bar = window.message_bar
    where = "beside the image" if lock.parent == cases else f"in …/{lock.parent.name}"
    assert bar.shown == (f"{lock.name} {where}: worklist state not saved: its lock file cannot "
                         "be opened (Is a directory); the previous state is kept")
    assert str(tmp_path) not in bar.shown
    assert bar.label.toolTip() == bar.text and bar.text.startswith(f"{lock}: ")
    assert window.training_actions.panel.rows()[0][3] == ""              # not marked done

    lock.rmdir()                                 # repaired: Mark done goes through
    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)
    assert window.training_actions.panel.rows()[0][3] == "done"


def test_paths_inside_a_message_and_a_url_are_told_apart():
    text = ("Training t failed: neuroview: error: /data/x/no_dataset: no dataset.json\n"
            "skipped /cd/dicom/IM0005: truncated; see http://host/a/b: help")
    assert short_error(text, home="/home/ana") == (
        "Training t failed: neuroview: error: no_dataset in …/x: no dataset.json\n"
        "skipped IM0005 in …/dicom: truncated; see http://host/a/b: help")
    assert short_error("/home/ana/cases/a.json: not saved", home="/home/ana") == \
        "a.json in ~/cases: not saved"
