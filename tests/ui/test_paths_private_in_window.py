"""Failures in the window name a patient's file by its name and folder, never by the folders above
it: in the notice bar, the error bar, the status line and the log records (an internal error
caught by a guard, a background job's failure with its traceback, an unreadable file). neuroview
writes no log file of its own: its records go to Python's logging, caught here by ``caplog``.
Until session 39 ``pump fault in /…/ward_smith/doe_john/head.nii.gz`` showed and was logged whole
(a path was named short only before ``": "``)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from neuroview.ui.qt_guard import guard_overrides

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@guard_overrides
class PumpView(QWidget):
    """A view whose drawing fails on a patient's file."""

    path = ""

    def paintEvent(self, event) -> None:
        raise RuntimeError(f"pump fault in {self.path}")


def _job_fails(path):
    def job(progress, token):
        raise OSError(f"pump stopped at {path}, try again")
    return job


def test_failures_name_the_file_and_its_folder_only(qtbot, window, tmp_path, caplog, fresh_guard):
    ward = tmp_path / "ward_smith"
    folder = ward / "doe_john"
    folder.mkdir(parents=True)
    head = folder / "head.nii.gz"
    head.write_bytes(b"not an image")
    texts = []

    def seen(*widgets):
        texts.extend(widget.label.text() for widget in widgets if widget.isVisible())
        texts.append(window.statusBar().currentMessage())

    with caplog.at_level(logging.DEBUG):
        view = PumpView(window)                       # a guard catches the exception
        view.path = str(head)
        view.resize(20, 20)
        view.show()
        view.repaint()
        qtbot.waitUntil(lambda: "pump fault" in window.notice_bar.shown, timeout=5000)
        assert "RuntimeError: pump fault in head.nii.gz in …/doe_john" in window.notice_bar.shown
        seen(window.notice_bar)
        view.hide()

        window.runner.start(_job_fails(head), label="Thick slab")   # a job fails, unheard
        qtbot.waitUntil(lambda: "pump stopped" in window.notice_bar.shown, timeout=10000)
        assert "pump stopped at head.nii.gz in …/doe_john, try again" in window.notice_bar.shown
        seen(window.notice_bar)

        window.open_paths([str(head)])                  # an unreadable file
        qtbot.waitUntil(window.message_bar.isVisible, timeout=10000)
        assert window.message_bar.shown.startswith("head.nii.gz in …/doe_john: ")
        seen(window.message_bar, window.notice_bar)

    logged = [logging.Formatter().format(record) for record in caplog.records]
    assert any("pump fault in head.nii.gz in …/doe_john" in line for line in logged), logged
    job_line = next(line for line in logged if "background job" in line)
    assert "Traceback" in job_line and "OSError: pump stopped at head.nii.gz in …/doe_john" in job_line
    for text in texts + logged:
        assert str(folder) not in text and "ward_smith" not in text, text


def test_a_notice_and_a_status_word_name_the_file_short_the_whole_line_on_hover(window, tmp_path):
    head = tmp_path / "ward_smith" / "doe_john" / "head.nii.gz"
    window.notices.news(f"Pump noted at {head}")
    assert window.notice_bar.shown == "Pump noted at head.nii.gz in …/doe_john"
    assert window.notice_bar.label.toolTip() == f"Pump noted at {head}"
    window.notices.status(f"Nothing opened: '{head}' is busy")
    assert window.statusBar().currentMessage() == "Nothing opened: head.nii.gz in …/doe_john is busy"


def test_a_file_deep_under_home_is_named_by_its_folder_alone(window, tmp_path, monkeypatch):
    """Until session 40 a file under the home folder was named with every folder below ``~``:
    ``head.nii.gz in ~/ward_smith/doe_john``. One directly in a folder of home keeps ``~/FOLDER``."""
    home = tmp_path / "home" / "ana"
    monkeypatch.setenv("HOME", str(home))
    head = home / "ward_smith" / "doe_john" / "head.nii.gz"
    window.notices.news(f"Pump noted at {head}")
    assert window.notice_bar.shown == "Pump noted at head.nii.gz in …/doe_john"
    window.notices.status(f"Nothing opened: '{home / 'Documents' / 'a.nii'}' is busy")
    assert window.statusBar().currentMessage() == "Nothing opened: a.nii in ~/Documents is busy"
