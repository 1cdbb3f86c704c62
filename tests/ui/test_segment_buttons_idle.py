"""The segment list's *Remove* and *Colour...* are offered only when there is a segment to act
on: in a window just started, with no image, they were enabled and did nothing when clicked (seen
in a walk of an annotation session, session 35); an image with no segment already greyed them."""

from __future__ import annotations

from editor_helpers import open_case
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_remove_and_colour_wait_for_a_segment(qtbot, window, tmp_path):
    panel = window.edit_actions.panel
    buttons = (panel.remove_button, panel.color_button)
    assert [b.isEnabled() for b in buttons] == [False, False]   # nothing open
    assert panel.add_button.isEnabled()   # Add says what to open first
    _volume, session = open_case(qtbot, window, tmp_path)
    assert [b.isEnabled() for b in buttons] == [False, False]   # an image, no segment
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    assert len(list(session.segments)) == 1
    assert [b.isEnabled() for b in buttons] == [True, True]
