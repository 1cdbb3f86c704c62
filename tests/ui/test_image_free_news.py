"""An image shown without editing because another window edits it, with a load warning under that
notice: once the other window lets it go, the window's watch rewords the notice and the warning
stays under it. The watch's notice replaced the bar (``NoticeBar.show_message``): the warning
was gone."""

from __future__ import annotations

from editor_helpers import write_image
from load_warnings import WARNING, with_a_warning
from other_window import another_window_editing

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_free_notice_keeps_the_load_warning(qtbot, window, tmp_path, monkeypatch):
    from neuroview.ui.worklist_watch import WATCH_MS

    path, _volume = write_image(tmp_path)
    with_a_warning(monkeypatch, path.name)
    with another_window_editing(path):
        window.open_paths([path])
        qtbot.waitUntil(lambda: WARNING in window.notice_bar.text, timeout=30000)
        lines = window.notice_bar.text.split("\n")
        assert lines[0].startswith("This image is open for editing in another neuroview window")
        assert lines[1:] == [f"Warning: {WARNING}"]
    qtbot.waitUntil(lambda: "let this image go" in window.notice_bar.text, timeout=10000 * WATCH_MS)
    lines = window.notice_bar.text.split("\n")
    assert lines[0].startswith("The other neuroview window let this image go at ")
    assert lines[1:] == [f"Warning: {WARNING}"]
    assert set(window.notice_bar.buttons) == {"Edit here", "Dismiss"}
    assert window.editor.case is None                  # the user decides
    window.notice_bar.buttons["Edit here"].click()   # the killed window's edits offered back
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons, timeout=30000)
    assert "(2 edits, never saved)" in window.notice_bar.text   # segment, stroke
