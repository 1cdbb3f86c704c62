"""What the segment editor says when a tool cannot run, in the tool's own words (session 40's
annotator walk): *Fill between slices* on a segment drawn on one slice said `interpolate: nothing
to preview (draw seeds or slices first)`, the tool's internal name and seeds it never takes, to a
user who had drawn a slice; and a one-shot tool refused (no segment, a locked one) said in the red
bar why and, beside it in the status line, `Islands: nothing changed.`, as if it had run."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_case, stroke
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_fill_between_slices_on_one_slice_says_to_draw_another(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    panel = window.edit_actions.panel
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=5, mode="2d")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [8.0, 0, 0]])
    panel.select_tool("interpolate")
    qtbot.mouseClick(panel.preview_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.message_bar.text != "", timeout=10000)
    said = window.message_bar.text
    assert said.startswith("Fill between slices: nothing to fill"), said
    assert "'lesion'" in said and "axial" in said and "seeds" not in said, said
    assert session.labels.array.any() and window.editor.preview is None


def test_a_refused_apply_does_not_also_say_nothing_changed(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    panel.select_tool("islands")
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    assert window.message_bar.text == "this tool needs a segment"
    assert "nothing changed" not in window.statusBar().currentMessage()


def test_logical_with_no_other_segment_says_so_in_the_panels_words(qtbot, window, tmp_path):
    """Logical on the only segment said `add needs 'other' (a segment or a mask)`: the scripting
    API's parameter name, not the *With segment* box the user sees empty."""
    open_case(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)   # 'Segment 1', selected
    panel.select_tool("logical")
    assert panel.option_widgets["logical"]["other"].count() == 0
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    said = window.message_bar.text
    assert said.startswith("Logical: no segment to add") and "With segment" in said, said
    assert "'Segment 1' is the only one" in said and "'other'" not in said, said
