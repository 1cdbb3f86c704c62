"""The Threshold preview and the brush cursor show the colour *Apply* or a stroke will write in,
before the segment exists. With no segment, the preview was drawn in white, which only brightened
the image under it (session 41, seen on the demo): Apply then made 'Segment 1' in the first
default colour. With segments but none active, the first one is the one written into."""

from __future__ import annotations

from editor_helpers import open_case, shortcut, threshold_measured
from PySide6.QtCore import Qt

from neuroview.core.labels import default_color

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_the_preview_is_in_the_colour_of_the_segment_apply_makes(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    assert len(session.segments) == 0
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.threshold_preview is not None, timeout=10000)
    assert window.controller.threshold_preview.color == default_color(1)
    assert tuple(window.controller.editor.active_color()) == default_color(1)
    window.edit_actions.panel.apply_button.click()
    qtbot.waitUntil(lambda: len(session.segments) == 1, timeout=10000)
    made = next(iter(session.segments))
    assert made.color == default_color(1)   # what the preview showed


def test_with_segments_but_none_active_the_first_one_is_shown(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion", color=(10, 200, 30))
    session.segments.add("oedema", color=(200, 10, 30))
    session.active_segment = None
    assert tuple(window.controller.editor.active_color()) == (10, 200, 30)
