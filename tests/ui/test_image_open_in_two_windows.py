"""One image in two neuroview windows (two processes of one user): the second is told the first
edits it, and leaves the first window's workspace alone; once the first is killed, the second
offers its edits back (the lock goes with the process).

The second window offered the first's live journal as "edits from an earlier session"; Discard
moved that workspace aside under the first window (whose later edits then had no journal to be
restored from after a crash), Restore made both windows write one journal."""

from __future__ import annotations

from editor_helpers import write_image
from other_window import another_window_editing

from neuroview.app.case import workspace_for

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_an_image_another_window_edits_is_not_taken_from_it(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    with another_window_editing(path):
        window.open_paths([path])
        qtbot.waitUntil(lambda: "another neuroview window" in window.notice_bar.text, timeout=30000)
        assert "Restore" not in window.notice_bar.buttons and window.editor.case is None
        workspace = workspace_for(volume)
        assert [p.name for p in workspace.parent.iterdir() if "discarded" in p.name] == []
        window.training_actions.send_dialog()      # nothing to edit here: says why
        assert "open for editing in another neuroview window" in window.message_bar.text

    window.message_bar.hide()
    window.notice_bar.buttons["Edit here"].click()   # the other window was killed: its edits
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons, timeout=30000)
    window.notice_bar.buttons["Restore"].click()
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=30000)
    assert window.editor.session.labels.array.any()


def test_the_second_window_is_told_when_the_other_lets_the_image_go(qtbot, window, tmp_path):
    """It kept saying "open for editing in another neuroview window" after that window was
    killed, until Edit here was clicked; the window's 3 s watch tells it now, offering Edit here,
    and editing still waits for the user's click."""
    from neuroview.ui.worklist_watch import WATCH_MS

    # the watch looks every WATCH_MS (3 s) in the product; a tenth of that here, so the test does
    # not sit idle through its ticks (each wait below is for a tick or two: a core left idle)
    window.training_actions.watch.timer.setInterval(WATCH_MS // 10)
    tick = window.training_actions.watch.timer.timeout   # holder_check runs on it, before this
    path, _volume = write_image(tmp_path)
    with another_window_editing(path):
        window.open_paths([path])
        qtbot.waitUntil(lambda: "another neuroview window" in window.notice_bar.text, timeout=30000)
        window.notice_bar.buttons["Dismiss"].click()   # read, put away: still told when it is free
        with qtbot.waitSignal(tick, timeout=2 * WATCH_MS):   # the watch looked once more
            pass
        assert window.notice_bar.text == ""            # not told while the other window holds it
    qtbot.waitUntil(lambda: "let this image go" in window.notice_bar.text, timeout=10000 * WATCH_MS)
    assert set(window.notice_bar.buttons) == {"Edit here", "Dismiss"}
    assert window.editor.case is None and window.editor.edited_elsewhere   # the user decides
    window.notice_bar.buttons["Dismiss"].click()
    with qtbot.waitSignal(tick, timeout=2 * WATCH_MS):
        pass
    assert window.notice_bar.text == ""                # told once
    window.open_paths([path])                          # Edit here gone: opening it again edits it
    qtbot.waitUntil(lambda: "Restore" in window.notice_bar.buttons, timeout=30000)
