"""The status line's note of an edit (``Threshold ...: 'lesion' gained N voxels``) stays the
time to read it (``READ_MS``) when the 3D view, a quarter second later, turns its volume
rendering off for the first segment surfaces and says so: that word took the line within 0.3 s,
so an annotator's ``Islands: nothing changed.`` was gone before it was read (session 40's walk)."""

from __future__ import annotations

import time

from editor_helpers import open_image, threshold_measured, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.ui.notices import READ_MS


def test_the_3d_views_word_waits_until_the_edits_note_was_read(qtbot, window, tmp_path):
    view3d = window.view3d
    open_image(qtbot, window, write_image(tmp_path)[0])
    session = wait_for_session(qtbot, window)
    qtbot.waitUntil(lambda: view3d.shows_open_image and view3d.rgb is not None, timeout=30000)
    assert window.display_panel.volume3d_check.isChecked()   # left as the image opened it
    shown = []
    window.statusBar().messageChanged.connect(lambda text: shown.append((time.monotonic(), text)))
    session.segments.add("lesion")
    panel = window.edit_actions.panel
    panel.select_tool("threshold")
    threshold_measured(qtbot, window)
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any("volume rendering off" in text for _, text in shown), timeout=30000)
    notes = [(at, text) for at, text in shown if text]
    assert notes[0][1].startswith("Threshold ") and "'lesion' gained" in notes[0][1], notes
    assert "volume rendering off while segment surfaces show" in notes[1][1], notes
    assert notes[1][0] - notes[0][0] >= READ_MS / 1000 - 0.05, notes   # the note was up 2 s
