"""A question's button in the notice bar (*Restore*, *Discard*, *Edit here*) takes away that
question's line and buttons only: the image's load warning listed under it stays, with a
*Dismiss* of its own, until dismissed or the image changes. Each hid the whole bar until
session 29 (``NoticeBar._answer`` hid it; *Edit here* opened the image again, which cleared it)."""

from __future__ import annotations

import pytest
from editor_helpers import INSIDE_CASE_RAS, wait_for_session, write_image
from load_warnings import WARNING, with_a_warning
from other_window import another_window_editing

from neuroview.app.case import workspace_for
from neuroview.app.session import Session

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def crashed_with_a_stroke(volume) -> None:
    """A session on ``volume`` killed after adding a segment and painting: offered back."""
    crashed = Session(volume, workspace_for(volume))
    crashed.segments.add("lesion")
    crashed.apply("paint", at_ras=INSIDE_CASE_RAS, radius_mm=4.0)
    crashed.journal.close()


@pytest.mark.parametrize("answer", ["Restore", "Discard"])
def test_the_restore_answer_keeps_the_load_warning(qtbot, window, tmp_path, monkeypatch, answer):
    path, volume = write_image(tmp_path)
    crashed_with_a_stroke(volume)
    with_a_warning(monkeypatch, path.name)
    window.open_paths([path])
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and WARNING in bar.text, timeout=30000)
    assert bar.text.split("\n")[-1] == f"Warning: {WARNING}"
    bar.buttons[answer].click()
    session = wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    lines = bar.text.split("\n")
    assert bar.isVisible() and lines[0] == f"Warning: {WARNING}", lines   # the question is gone
    assert set(bar.buttons) == {"Dismiss"}
    if answer == "Restore":   # what the restore gave back, under the warning
        assert int(session.labels.array.sum()) > 0
        assert len(lines) == 2, lines
        assert lines[1].startswith("Restored the unsaved labels: 2 edits, never saved, are back")
    else:
        assert not session.labels.array.any() and len(lines) == 1
    bar.buttons["Dismiss"].click()   # the news' own Dismiss takes it all away
    assert not bar.isVisible() and bar.text == ""


def test_edit_here_keeps_the_load_warning(qtbot, window, tmp_path, monkeypatch):
    from neuroview.ui.worklist_watch import WATCH_MS

    path, _volume = write_image(tmp_path)
    with_a_warning(monkeypatch, path.name)
    bar = window.notice_bar
    with another_window_editing(path):
        window.open_paths([path])
        qtbot.waitUntil(lambda: WARNING in bar.text, timeout=30000)
    qtbot.waitUntil(lambda: "let this image go" in bar.text, timeout=10000 * WATCH_MS)
    bar.buttons["Edit here"].click()   # the killed window's edits offered back, over the warning
    qtbot.waitUntil(lambda: "Restore" in bar.buttons, timeout=30000)
    lines = bar.text.split("\n")
    assert "let this image go" not in bar.text
    assert lines[-1] == f"Warning: {WARNING}", lines
    bar.buttons["Restore"].click()
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    assert bar.text.split("\n")[0] == f"Warning: {WARNING}"
    assert set(bar.buttons) == {"Dismiss"}
