"""A crash journal with a damaged record in the middle, in the window: the restore question says
how many edits can be restored and how many were lost, and after Restore the notice bar says it
in one line, naming where the damaged journal was kept (before: the steps after the damage were
offered as if there were no more, and lost without a word). The journal is cut inside its last
record too (a kill while it was written): both say the stroke being written was not restored
(no word until session 37; ``tests/app/test_cut_journal.py``)."""

from __future__ import annotations

import re
import struct

from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image
from PySide6.QtCore import Qt
from quit_windows import new_window  # noqa: F401  (a fixture)

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

HEAD = struct.Struct("<4sII")
CUT = "The last edit (paint), which was being written when neuroview stopped, could not be restored."


def test_the_restore_question_and_notice_tell_of_the_lost_step(qtbot, window, tmp_path, new_window):  # noqa: F811
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    for n in range(4):
        stroke(window, "axial", [INSIDE_CASE_RAS + [0, 4.0 * n, 0], INSIDE_CASE_RAS + [6.0, 4.0 * n, 0]])
    expected = session.labels.array.copy()
    workspace = window.editor.case.workspace
    window.edit_actions.close_case()            # not quit: the edits stay (as after a crash)
    journal = next(workspace.glob("journal-*.bin"))
    data = bytearray(journal.read_bytes())
    pos, starts = 0, []
    while pos < len(data):
        starts.append(pos)
        pos += HEAD.size + HEAD.unpack_from(data, pos)[1]
    data[starts[-3] + HEAD.size + 40] ^= 0x01   # a bit of the third record from the end
    del data[-10:]                              # the last one cut short
    journal.write_bytes(bytes(data))

    again = new_window()
    open_image(qtbot, again, path)
    bar = again.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=10000)
    offered = re.search(r"\((\d+) edits, never saved; 1 more was lost to a damaged crash "
                        r"journal, which is kept\)\. " + re.escape(CUT) + " Restore them", bar.text)
    assert offered, bar.text
    qtbot.mouseClick(bar.buttons["Restore"], Qt.LeftButton)
    restored = wait_for_session(qtbot, again)
    qtbot.waitUntil(lambda: bar.isVisible() and bar.text.startswith("Restored"), timeout=10000)
    kept = next(workspace.glob("damaged-*"))
    assert int(offered.group(1)) == len(restored.history.undo_steps) == 3   # a segment, 2 strokes
    assert bar.text == (f"Restored {offered.group(1)} edits, never saved; 1 edit was lost: "
                        f"the crash journal is "
                        f"damaged at byte {starts[-3]} (a disk or copy fault); the damaged journal "
                        f"is kept in workspace {workspace.name}/{kept.name}. {CUT}\n"
                        f"Restored the unsaved labels: {offered.group(1)} edits, never saved, "
                        "are back (Ctrl+Z undoes them)")
    assert again.measurements.count() == 0   # the restore's lines are news, not measurements
    assert str(workspace.parent) not in bar.text   # no absolute path (the home folder)
    assert (kept / journal.name).read_bytes() == bytes(data)
    # the last two strokes are back (their voxels), only the damaged one's own voxels are missing
    assert 0 < (restored.labels.array != expected).sum() < (expected > 0).sum() // 2
