"""The AI click status line gives the size of the object being made, not the segment's: with a
lesion already in the segment, a second one's line gave both together as the object's size. Now it
says the object's own volume and what the segment holds after Enter (grow-from-seeds backend, as in
test_ai_click_answers.py)."""

from __future__ import annotations

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from editor_helpers import shortcut
from PySide6.QtCore import Qt
from scipy import ndimage


def _ml(session, voxels: int) -> str:
    return f"{voxels * abs(np.linalg.det(session.labels.ijk_to_ras[:3, :3])) / 1000:.1f}"


def test_a_second_lesion_s_line_gives_its_own_size_and_the_segment_s_after_enter(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    notes = []
    window.editor.status.connect(notes.append)
    shown = _answered_click(qtbot, window, CENTRE)
    one = int((shown == 1).sum())
    assert one > 100 and notes[-1].startswith(f"AI click: Segment 1 {_ml(session, one)} mL ({one:,} voxels) "
                                              "after 1 prompt, ")   # an empty segment: as before
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    accepted = session.labels.array == 1
    assert accepted.sum() == one

    shown = _answered_click(qtbot, window, CENTRE + [24, 0, 0])     # the second lesion
    total = int((shown == 1).sum())
    new = int(((shown == 1) & ~accepted).sum())
    assert 100 < new < total and (second & (shown == 1)).sum() > 0.5 * second.sum()
    line = notes[-1]
    head, tail = line.split(" s; ")
    assert head.startswith(f"AI click: object {_ml(session, new)} mL ({new:,} voxels) after 1 prompt, ")
    assert tail == (f"Enter accepts (Segment 1 then {_ml(session, total)} mL, {total:,} voxels in all), "
                    "Esc discards")
    assert f"({total:,} voxels) after" not in line                   # the sum was given as the object's
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    assert (session.labels.array == 1).sum() == one


def test_refining_a_lesion_the_segment_holds_gives_that_lesion_alone(qtbot, window, tmp_path):
    """An include click on one of two lesions of the segment: the object is that lesion as the
    answer leaves it, not the two."""
    session, first, second = _setup(qtbot, window, tmp_path)
    notes = []
    window.editor.status.connect(notes.append)
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    _answered_click(qtbot, window, CENTRE + [24, 0, 0])
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    both = session.labels.array == 1
    parts, n = ndimage.label(both, np.ones((3, 3, 3), bool))
    assert n == 2
    shown = _answered_click(qtbot, window, CENTRE)                   # lesion 1 again
    segment = shown == 1
    lesion_2 = parts == parts[tuple(np.argwhere(second & both)[0])]
    own = int((segment & ~lesion_2).sum())
    assert own < int(segment.sum())
    assert notes[-1].startswith(f"AI click: object {_ml(session, own)} mL ({own:,} voxels) after 1 prompt, ")
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)           # the prompt taken back: no line
    assert notes[-1] == ""


def test_refining_the_segment_s_only_lesion_gives_the_plain_line(qtbot, window, tmp_path):
    """The object is all the segment holds: the line names the segment, as for a new one."""
    session, first, second = _setup(qtbot, window, tmp_path)
    notes = []
    window.editor.status.connect(notes.append)
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    shown = _answered_click(qtbot, window, CENTRE + [2, 0, 0])          # the same lesion again
    total = int((shown == 1).sum())
    head = f"AI click: Segment 1 {_ml(session, total)} mL ({total:,} voxels) after 1 prompt"
    assert notes[-1].startswith(head), notes[-1]
    assert notes[-1].endswith("; Enter accepts, Esc discards")
