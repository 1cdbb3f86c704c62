"""File > Worklist > Open worklist folder... on ``/`` or the home folder is refused in one line,
nothing scanned; a folder of more than 500 entries (each a case) opens only once the user answers
*Open*, and Cancel opens nothing; it is then listed off the GUI thread, with progress and
Cancel in the job bar. Until session 44 ``/`` listed every top-level folder as a case
and the window scanned /bin, then /boot, ... each whole, one after the other."""

from __future__ import annotations

import time

import pytest
from editor_helpers import write_image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from neuroview.core.errors import DatasetError
from neuroview.dataset.worklist import Worklist


def _open_folder(window, monkeypatch, folder):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(folder))
    window.training_actions.open_worklist_folder_dialog()


@pytest.mark.parametrize("which", ["root", "home"])
def test_a_root_or_home_folder_is_refused_in_one_line(qtbot, window, tmp_path, monkeypatch, which):
    home = tmp_path / "home"
    for name in ("Documents", "Downloads"):
        (home / name).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    folder, what = ("/", "the root of the file system") if which == "root" else (home, "your home folder")
    _open_folder(window, monkeypatch, folder)
    text = window.message_bar.text
    assert f"is {what}, not a worklist folder: choose the folder that holds the cases (one " \
           "subfolder or image file each)" in text and "\n" not in text
    assert window.training_actions.worklist is None and not window.runner.busy
    with pytest.raises(DatasetError, match=f"is {what}, not a worklist folder"):
        Worklist.open(folder)


def test_a_folder_of_501_cases_opens_only_once_asked(qtbot, window, tmp_path, monkeypatch):
    cases = tmp_path / "studies"
    for k in range(501):
        (cases / f"case_{k:03d}").mkdir(parents=True)
    write_image(cases / "case_000", "t1")
    asked = []

    def answer(reply):
        def question(_parent, _title, text, *_a):
            asked.append(text)
            return reply
        monkeypatch.setattr(QMessageBox, "question", question)

    answer(QMessageBox.Cancel)
    _open_folder(window, monkeypatch, cases)
    assert asked == ["studies holds 501 entries, and each would be a case of the worklist (a "
                     "worklist folder holds one subfolder or image file per case). Open it as a "
                     "worklist?"]
    assert window.statusBar().currentMessage() == (
        "Nothing opened: studies was not opened as a worklist of 501 cases.")
    assert window.training_actions.worklist is None and not window.runner.busy
    answer(QMessageBox.Open)
    _open_folder(window, monkeypatch, cases)
    qtbot.waitUntil(lambda: window.training_actions.worklist is not None, timeout=30000)
    assert len(asked) == 2 and len(window.training_actions.worklist.cases) == 501
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)


def _slow_listing(monkeypatch, cases, seconds_each):
    """501 case folders, each looked at for ``seconds_each`` (as a .dcm file's header is read),
    and *Open* answered to the many-cases question."""
    from neuroview.dataset import worklist_sources

    for k in range(501):
        (cases / f"case_{k:03d}").mkdir(parents=True)
    write_image(cases / "case_000", "t1")
    real = worklist_sources.is_dicom_seg

    def slow(entry):
        time.sleep(seconds_each)
        return real(entry)

    monkeypatch.setattr(worklist_sources, "is_dicom_seg", slow)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.Open)


def test_a_big_folder_is_listed_off_the_gui_thread(qtbot, window, tmp_path, monkeypatch):
    """The listing of a big folder (a .dcm header read per entry: 2,000 of one series took
    seconds) runs in the job bar, the window responsive: it froze until session 44."""
    cases = tmp_path / "studies"
    _slow_listing(monkeypatch, cases, 0.002)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(window.training_actions.worklist is None))
    timer.start(10)
    _open_folder(window, monkeypatch, cases)
    assert window.training_actions.worklist is None and window.runner.busy
    assert window.jobs.text.text().startswith("Listing the worklist's cases")
    assert window.jobs.cancel_button.isVisibleTo(window)
    qtbot.waitUntil(lambda: window.training_actions.worklist is not None, timeout=30000)
    timer.stop()
    assert ticks.count(True) >= 10   # the GUI thread ran its timer while the cases were listed
    assert len(window.training_actions.worklist.cases) == 501
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)


def test_cancel_stops_the_listing_and_opens_nothing(qtbot, window, tmp_path, monkeypatch):
    cases = tmp_path / "studies"
    _slow_listing(monkeypatch, cases, 0.02)   # 10 s in all: Cancel lands before its end
    _open_folder(window, monkeypatch, cases)
    qtbot.waitUntil(lambda: window.jobs.progress.maximum() > 0, timeout=10000)   # a first report
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert window.training_actions.worklist is None and window.controller.volume is None
    assert window.statusBar().currentMessage() == (
        "Nothing opened: the listing of studies as a worklist was cancelled.")
