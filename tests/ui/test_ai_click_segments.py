"""The AI click object in progress and the segment list: picking, adding or removing a segment
while an object waits asks about it or says where it went, never writing it into a segment not
selected."""

from __future__ import annotations

import numpy as np
from ai_click_cases import CENTRE, _answer_switch, _answered_click, _click, _setup
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _object_in_segment_1(qtbot, window, tmp_path, segments):
    """``segments`` segments added, the first selected, an answered click's object on screen:
    the session, the segment panel and the labels the preview shows."""
    session, _first, _second = _setup(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    for _ in range(segments):
        panel.add_segment()
    panel.table.selectRow(0)
    assert session.active_segment == 1
    return session, panel, _answered_click(qtbot, window, CENTRE)


def test_picking_another_segment_asks_about_the_object_in_progress(qtbot, window, tmp_path):
    """With an AI click object of Segment 1 on screen, picking Segment 2 in the list and pressing
    Enter wrote the object into Segment 1, which was not selected; a click instead dropped the
    object and its prompts without a word. Now the pick asks: Cancel keeps Segment 1 selected and
    the object, Apply accepts it into Segment 1 first, Discard drops it."""
    from PySide6.QtWidgets import QMessageBox

    session, panel, shown = _object_in_segment_1(qtbot, window, tmp_path, 2)
    asked = []
    _answer_switch(window, QMessageBox.Cancel, asked)
    panel.table.selectRow(1)
    assert asked and asked[0].startswith("The AI click object on screen (1 prompt) is not accepted yet")
    assert session.active_segment == 1 and panel.selected_value() == 1
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1
    _answer_switch(window, QMessageBox.Apply, asked)
    panel.table.selectRow(1)
    assert len(asked) == 2 and session.active_segment == panel.selected_value() == 2
    assert not window.editor.has_preview()
    assert np.array_equal(session.labels.array == 1, shown == 1) and not (session.labels.array == 2).any()
    accepted = session.labels.array.copy()
    _click(qtbot, window, "axial", CENTRE + [24, 0, 0])
    qtbot.waitUntil(lambda: window.editor.has_preview() and not window.editor.ai_click.running,
                    timeout=30000)
    _answer_switch(window, QMessageBox.Discard, asked)
    panel.table.selectRow(0)
    assert len(asked) == 3 and session.active_segment == panel.selected_value() == 1
    assert not window.editor.has_preview() and session.prompting is None
    assert np.array_equal(session.labels.array, accepted)


def test_adding_a_segment_asks_about_the_object_in_progress(qtbot, window, tmp_path):
    """*Add* with an AI click object on screen selected the new segment and dropped the object
    and its prompts without a word. Now it asks as picking another segment does: Cancel adds
    nothing and keeps the object, Apply accepts it into its segment first, then adds."""
    from PySide6.QtWidgets import QMessageBox

    session, panel, shown = _object_in_segment_1(qtbot, window, tmp_path, 1)
    asked = []
    _answer_switch(window, QMessageBox.Cancel, asked)
    panel.add_segment()
    assert asked and asked[0].startswith("The AI click object on screen (1 prompt) is not accepted yet; "
                                         "adding Segment 2 would start")
    assert [s.name for s in session.segments] == ["Segment 1"] and session.active_segment == 1
    assert window.editor.has_preview() and len(session.prompting.prompts) == 1
    _answer_switch(window, QMessageBox.Apply, asked)
    panel.add_segment()
    assert len(asked) == 2 and [s.name for s in session.segments] == ["Segment 1", "Segment 2"]
    assert not window.editor.has_preview() and session.prompting is None
    assert np.array_equal(session.labels.array == 1, shown == 1) and (session.labels.array == 1).any()


def test_removing_its_segment_says_the_object_went_with_it(qtbot, window, tmp_path):
    """Remove (Segment editor) of the segment of the AI click object on screen drops the object
    (it could never be accepted) and the status bar says so, in the line a script's
    ``accept_preview`` gives (it used to go without a word)."""
    session, panel, _ = _object_in_segment_1(qtbot, window, tmp_path, 2)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert [s.name for s in session.segments] == ["Segment 2"]
    assert not window.editor.has_preview() and session.prompting is None
    assert window.statusBar().currentMessage() == (
        "The AI click object of segment 'Segment 1' (1 prompt) was discarded with its segment")
