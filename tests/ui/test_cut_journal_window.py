"""A crash journal cut inside its last record (neuroview killed while writing a stroke), in the
window: the restore question and, after Restore, the notice bar say that the stroke being written
could not be restored; the strokes before it come back. It opened without a word until session 37."""

from __future__ import annotations

import struct

from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtCore import Qt
from quit_windows import new_window  # noqa: F401  (a fixture)

HEAD = struct.Struct("<4sII")
LOST = "The last edit (paint), which was being written when neuroview stopped, could not be restored."


def test_the_question_and_notice_say_the_stroke_being_written_was_lost(qtbot, window, tmp_path,
                                                                        new_window):  # noqa: F811
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    states = []
    for n in range(3):
        stroke(window, "axial", [INSIDE_CASE_RAS + [0, 4.0 * n, 0], INSIDE_CASE_RAS + [6.0, 4.0 * n, 0]])
        states.append(session.labels.array.copy())
    workspace = window.editor.case.workspace
    window.edit_actions.close_case()            # not quit: the edits stay (as after a crash)
    journal = next(workspace.glob("journal-*.bin"))
    data = journal.read_bytes()
    pos, starts = 0, []
    while pos < len(data):
        starts.append(pos)
        pos += HEAD.size + HEAD.unpack_from(data, pos)[1]
    assert len(starts) == 4 and b'"name":"paint"' in data[starts[-1]:]   # a segment, 3 strokes
    journal.write_bytes(data[:-10])   # the last stroke's header and part of its voxels written

    again = new_window()
    open_image(qtbot, again, path)
    bar = again.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    assert f"(3 edits since the last save). {LOST} Restore them?" in bar.text   # a segment, 2 strokes
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    restored = wait_for_session(qtbot, again)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.text.startswith(LOST), timeout=10000)
    assert bar.text == (f"{LOST}\nRestored the unsaved labels: 3 edits since the last save are back "
                        "(Ctrl+Z undoes them, back to the last save only)")
    assert (restored.labels.array == states[1]).all() and (states[1] != states[2]).any()
