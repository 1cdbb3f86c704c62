"""A thread of the window's that raises (*Open follow-up*'s lookup of a study date, on a file that
makes the DICOM reader raise what it does not expect): the notice bar says one line naming the
job, the terminal shows no traceback, and the lookup ends (the date unknown), so the next path
typed is looked up. Before, Python printed the traceback on stderr and the lookup stayed
running for good: no date was looked up again in that dialog."""

from __future__ import annotations

import threading

import pytest

from neuroview.core import thread_errors
from neuroview.ui import study_dates
from neuroview.ui.qt_guard import install_thread_hook


@pytest.fixture
def hooked(qapp):
    before = threading.excepthook
    install_thread_hook(qapp)
    yield
    threading.excepthook = before
    thread_errors.listen(None)


def test_a_lookup_that_raises_ends_and_is_said_in_one_line(window, qtbot, hooked, monkeypatch, capfd):
    def study_date(path):
        if path.endswith("bad"):
            raise RuntimeError("the reader met what it did not expect")
        return "20250301"

    monkeypatch.setattr(study_dates, "study_date", study_date)
    arrived = []
    dates = study_dates.StudyDates(lambda: arrived.append(True), parent=window)
    with qtbot.waitSignal(dates.found, timeout=10_000) as ended:
        assert dates.date("/data/bad") is None
    assert ended.args == ["/data/bad", ""]
    with qtbot.waitSignal(dates.found, timeout=10_000):
        assert dates.date("/data/good") is None   # looked up: the first lookup has ended
    assert dates.date("/data/good") == "20250301" and dates.date("/data/bad") == ""
    qtbot.waitUntil(lambda: "background job 'study date'" in window.notice_bar.text, timeout=10_000)
    line = window.notice_bar.text
    assert "Internal error in the background job 'study date': RuntimeError: the reader met" in line
    assert "Traceback" not in capfd.readouterr().err
