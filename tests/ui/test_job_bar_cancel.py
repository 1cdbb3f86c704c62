"""The job bar shows one job at a time (the newest running) and its Cancel stops that job only:
until session 27 it stopped every running job, so a Cancel meant for a restore stopped a model
run or a save started before it as well. Cancel while the crash journal is read for the restore
question stops the read (it read on to the end until session 27): the image is shown without an
offer and without editing, the journal untouched, offered at *Read again* or the next opening."""

from __future__ import annotations

import threading

from editor_helpers import (
    INSIDE_CASE_RAS,
    hold_the_journal_read,
    leave_a_crashed_workspace,
    write_image,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar
from restore_files import files

from neuroview.app.case import workspace_for
from neuroview.core.errors import Cancelled
from neuroview.ui.job_bar import CANCELLING, JobBar
from neuroview.ui.workers import JobRunner


def _waiting(release, seen, name):
    """A job that reports once, then waits for its cancel or ``release``."""
    def work(progress, cancel):
        progress(1, 4, f"{name}: 1 of 4")
        for _ in range(1000):
            if cancel.cancelled:
                seen.append(f"{name} cancelled")
                raise Cancelled()
            if release.is_set():
                return name
            threading.Event().wait(0.01)
        return name
    return work


def test_cancel_stops_the_job_shown_and_not_the_others(qtbot):
    status = QStatusBar()
    qtbot.addWidget(status)
    runner = JobRunner()
    bar = JobBar(status, runner)
    release, seen, done = threading.Event(), [], []
    model = runner.start(_waiting(release, seen, "model"), on_done=done.append, label="Segmenting")
    qtbot.waitUntil(lambda: bar.text.text() == "model: 1 of 4", timeout=10000)
    restore = runner.start(_waiting(release, seen, "restore"), on_cancel=lambda: done.append("x"),
                           label="Restoring")
    qtbot.waitUntil(lambda: bar.text.text() == "restore: 1 of 4", timeout=10000)
    qtbot.mouseClick(bar.cancel_button, Qt.LeftButton)
    assert bar.text.text() == CANCELLING and not bar.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: "x" in done, timeout=10000)
    assert seen == ["restore cancelled"] and restore.cancel_token.cancelled
    assert not model.cancel_token.cancelled                # the model run goes on, shown again
    assert bar.shown is model and bar.text.text() == "Segmenting" and bar.cancel_button.isEnabled()
    assert bar.cancel_button.isVisibleTo(status)
    release.set()
    qtbot.waitUntil(lambda: "model" in done, timeout=10000)
    assert not bar.cancel_button.isVisibleTo(status) and bar.shown is None


def test_cancel_while_the_journal_is_read_stops_the_read(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    workspace = workspace_for(volume)
    before = files(workspace)
    release, read = hold_the_journal_read(monkeypatch)   # the read waits after its 1st record
    window.open_paths([path])
    qtbot.waitUntil(lambda: bool(read), timeout=30000)
    assert window.jobs.text.text() == "Reading this image's crash journal"
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Read again" in bar.buttons and bar.isVisible(), timeout=10000)
    assert len(read) == 1 and not window.runner.busy
    assert bar.text.startswith("Reading this image's crash journal was cancelled: its earlier "
                               "edits are kept and offered the next time it is opened")
    assert "Restore" not in bar.buttons and window.editor.session is None
    window.edit_actions.panel.add_segment()                # editing waits, and says why
    assert window.message_bar.text.startswith("reading this image's crash journal was cancelled")
    assert files(workspace) == before
    qtbot.mouseClick(bar.buttons["Read again"], Qt.LeftButton)
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    assert "(2 edits, never saved)" in bar.text


def test_a_job_shows_a_busy_bar_until_its_first_report(qtbot):
    """A job that never reports (*Send to training set*) shows a busy bar, not 0 % from start to
    end (as in a walk's screenshot of a send); one that reports shows how far it got."""
    status = QStatusBar()
    qtbot.addWidget(status)
    runner = JobRunner()
    bar = JobBar(status, runner)
    release, reported = threading.Event(), threading.Event()

    def silent(progress, cancel):
        release.wait(10)

    def counting(progress, cancel):
        progress(1, 4, "1 of 4")
        reported.set()
        release.wait(10)

    runner.start(silent, label="Sending to the training set")
    assert (bar.progress.minimum(), bar.progress.maximum()) == (0, 0)   # busy
    qtbot.wait(200)
    assert (bar.progress.minimum(), bar.progress.maximum()) == (0, 0)
    runner.start(counting, label="Segmenting")
    qtbot.waitUntil(lambda: bar.text.text() == "1 of 4", timeout=10000)
    assert (bar.progress.maximum(), bar.progress.value()) == (1000, 250)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
