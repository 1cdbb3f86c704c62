"""Cancel while the crash journal is read for the restore question: the notice that says so (with
*Read again*) is asked above the news of the open (a load warning), which stays; it replaced it
(``NoticeBar.show_message``), so the image's warning was gone."""

from __future__ import annotations

from editor_helpers import (
    INSIDE_CASE_RAS,
    hold_the_journal_read,
    leave_a_crashed_workspace,
    write_image,
)
from load_warnings import WARNING, with_a_warning
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_cancelled_read_keeps_the_warning_of_the_open(qtbot, window, tmp_path, monkeypatch):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    with_a_warning(monkeypatch, "case")
    release, read = hold_the_journal_read(monkeypatch)   # the read waits after its 1st record
    window.open_paths([path])
    bar = window.notice_bar
    qtbot.waitUntil(lambda: bool(read) and WARNING in bar.text, timeout=30000)
    qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: "Read again" in bar.buttons and not window.runner.busy, timeout=10000)
    lines = bar.text.split("\n")
    assert len(lines) == 2, lines
    assert lines[0].startswith("Reading this image's crash journal was cancelled: its earlier "
                               "edits are kept and offered the next time it is opened")
    assert lines[1] == f"Warning: {WARNING}"
    assert set(bar.buttons) == {"Read again", "Dismiss"}
    qtbot.mouseClick(bar.buttons["Read again"], Qt.LeftButton)
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    assert "(2 edits, never saved)" in bar.text
