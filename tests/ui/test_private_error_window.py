"""The window says a file's error without the header value it is about: opening a series whose
PhotometricInterpretation holds a patient's name, the error bar names the file and the element,
never the name; a background job failing in a library whose words quote a value (``could not
convert string to float: '...'``) is said and logged without it."""

from __future__ import annotations

import logging

import pytest

from neuroview.ui.workers import JobRunner
from tests.private_values import MARKER, series_with_text
from tests.private_warnings import private_warnings  # noqa: F401

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.mark.usefixtures("private_warnings")
def test_opening_a_series_with_a_name_as_its_photometric(qtbot, window, tmp_path, caplog):
    series_with_text(tmp_path / "series", "PhotometricInterpretation", compress=True)
    with caplog.at_level(logging.DEBUG):
        window.open_paths([str(tmp_path / "series")])
        qtbot.waitUntil(lambda: not window.runner.busy and bool(window.message_bar.text),
                        timeout=60000)
    text = window.message_bar.text
    assert "IM0000.dcm" in text and "PhotometricInterpretation not a value DICOM defines" in text
    assert MARKER not in text + caplog.text + window.statusBar().currentMessage()


def test_a_job_failing_on_a_quoted_value(qtbot, caplog):
    runner, failed = JobRunner(), []

    def work(progress, cancel):
        return float(MARKER)   # as a DS holding a name reaches float() in a library

    with caplog.at_level(logging.DEBUG):
        runner.start(work, on_error=failed.append, label="Loading")
        qtbot.waitUntil(lambda: bool(failed), timeout=10000)
    assert failed == ["Loading: internal error: ValueError: could not convert string to float "
                      "(value not shown)"]
    assert "could not convert string to float (value not shown)" in caplog.text
    assert MARKER not in caplog.text
    assert runner.pool.waitForDone(10000)
