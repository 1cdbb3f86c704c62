"""The red error bar names a file by its name and folder, as the saved-file notices do
(``app.error_paths``), the whole message with its full path on hover; a worklist whose lock file
cannot be opened names the lock file. The bar showed
``/tmp/.../cases/.neuroview-worklist.json: worklist state not saved: Is a directory``, the state
file named where the lock file was the problem. An ``OSError`` quoted in a message ends with its
file's whole path in quotes (``[Errno 21] Is a directory: '/home/ana/...'``): named short too."""

from __future__ import annotations

from editor_helpers import shortcut
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
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


def test_an_os_error_in_a_message_names_its_file_short(qtbot, window, tmp_path, monkeypatch):
    """Settings > PACS cache... saved onto a ``pacs/settings.json`` that is a folder: the bar read
    ``PACS cache: [Errno 21] Is a directory: '/home/…/pacs/.settings.1a2b.json' ->
    '/home/…/pacs/settings.json'``; now each file by name and folder, the whole text on hover."""
    home = tmp_path / "nv home"
    monkeypatch.setenv("NEUROVIEW_HOME", str(home))
    (home / "pacs" / "settings.json").mkdir(parents=True)
    (home / "pacs" / "settings.json.bad" / "kept").mkdir(parents=True)   # so it is not set aside
    window.pacs_actions.open_cache_dialog()
    settings = window.pacs_actions.cache_dialog
    qtbot.waitUntil(settings.isVisible, timeout=5000)
    qtbot.mouseClick(settings.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    bar = window.message_bar
    assert bar.shown.startswith("PACS cache: [Errno 21] Is a directory: .settings."), bar.shown
    assert bar.shown.endswith(" in …/pacs -> settings.json in …/pacs"), bar.shown
    assert str(tmp_path) not in bar.shown and "'" not in bar.shown
    assert f"'{home / 'pacs' / 'settings.json'}'" in bar.label.toolTip()
    assert settings.isVisible()                                     # nothing was lost: still open
    # the dialog names the cache folder so too (it showed '... GB now in /home/…/pacs-cache')
    assert settings.used_label.text() == "0 series, 0.000 GB now in pacs-cache in …/nv home"
    assert settings.used_label.toolTip() == str(home / "pacs-cache")


def test_an_os_errors_quoted_path_is_named_short():
    text = ("/home/ana/c/x.nii.gz: not saved ([Errno 13] Permission denied: '/home/ana/c/x.tmp')\n"
            "cannot rename: [Errno 18] Invalid cross-device link: '/mnt/a/t.json' -> "
            "\"/home/ana/it's/t.json\"; see 'http://host/a'")
    assert short_error(text, image="/home/ana/c/x.nii.gz", home="/home/ana") == (
        "x.nii.gz beside the image: not saved ([Errno 13] Permission denied: x.tmp beside the image)\n"
        "cannot rename: [Errno 18] Invalid cross-device link: t.json in …/a -> t.json in ~/it's; "
        "see 'http://host/a'")
