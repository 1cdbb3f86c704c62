"""The restore offer reads the crash journal in a worker, not on the GUI thread: on a long
session's journal (2000 strokes on the demo: about 150 ms, ``bench/restore_offer.py``) the window
froze while the image opened. Until the offer shows, editing waits and says why; the offer says
what it said before; an image opened meanwhile is not offered another image's edits."""

from __future__ import annotations

import threading

from editor_helpers import INSIDE_CASE_RAS, leave_a_crashed_workspace, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.app.case import workspace_for
from neuroview.app.restore_offer import restore_offer
from neuroview.app.session_journal import SessionJournal

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _held_journal_reads(monkeypatch):
    """Journal reads for the offer wait for ``release`` (at most 5 s); the threads they ran on."""
    release, threads = threading.Event(), []
    original = SessionJournal.recovery

    def held(volume, workspace, cancel=None):
        threads.append(threading.current_thread())
        release.wait(5)
        return original(volume, workspace, cancel)

    monkeypatch.setattr(SessionJournal, "recovery", staticmethod(held))
    return release, threads


def test_the_journal_is_read_off_the_gui_thread_and_the_offer_follows(qtbot, window, tmp_path,
                                                                      monkeypatch):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    expected = restore_offer(volume, workspace_for(volume)).question()
    release, threads = _held_journal_reads(monkeypatch)
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and bool(threads), timeout=30000)
    assert threads[0] is not threading.main_thread()
    assert not window.notice_bar.isVisible() and window.editor.session is None
    window.edit_actions.panel.add_segment()                        # editing waits, and says why
    assert window.message_bar.text.startswith("wait a moment: this image's earlier edits are being read")
    release.set()
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert bar.text == expected
    assert expected.startswith("This image has edits from an earlier session")
    assert "(2 edits, never saved)" in expected
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    session = wait_for_session(qtbot, window)
    assert session.labels.array.any() and [s.name for s in session.segments] == ["lesion"]


def test_an_image_opened_while_the_journal_is_read_gets_no_offer_of_the_first(qtbot, window, tmp_path,
                                                                            monkeypatch):
    path, volume = write_image(tmp_path)
    leave_a_crashed_workspace(volume, INSIDE_CASE_RAS, radius_mm=5)
    other, _ = write_image(tmp_path, name="other", affine_name="oblique")
    release, threads = _held_journal_reads(monkeypatch)
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and bool(threads), timeout=30000)
    window.open_paths([other])                                     # never edited: no journal
    qtbot.waitUntil(lambda: window.controller.volume is not None
                    and window.controller.volume is not volume and window.editor.session is not None,
                    timeout=30000)
    release.set()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert "Restore" not in window.notice_bar.buttons
    assert window.editor.session.volume is window.controller.volume
    assert not window.editor.session.labels.array.any()
