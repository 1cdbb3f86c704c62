"""A paint stroke that changes nothing because Paint's intensity range (*Use for masking*, or its
*Only intensity from / to*) leaves out every voxel under the brush says so: it painted nothing
without a word, minutes after the range was set and forgotten (session 40's annotator walk), as
an erase that changes nothing says why."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_case, stroke

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_a_stroke_outside_the_range_says_why_nothing_was_painted(qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    assert volume.array.max() < 1000
    window.editor.set_params("paint", intensity_low=1000.0, intensity_high=2000.0, radius_mm=4)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])
    assert not session.labels.array.any()
    assert window.statusBar().currentMessage() == (
        "Nothing painted: Paint changes only voxels from 1000 to 2000 (its Only intensity "
        "options; Threshold's Use for masking sets them); untick them to paint everywhere.")
    window.editor.set_params("paint", intensity_low=None, intensity_high=None)
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert session.labels.array.any()
    # over its own voxels, in range, a stroke changes nothing and is not said to be masked
    window.editor.set_params("paint", intensity_low=0.0, intensity_high=2000.0, radius_mm=1)
    window.notices.drop_word()
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert "Nothing painted" not in window.statusBar().currentMessage()


def test_a_fill_click_outside_the_range_says_why_nothing_was_filled(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    window.editor.set_params("fill", intensity_low=1000.0, intensity_high=2000.0)
    window.edit_actions.panel.select_tool("fill")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert not session.labels.array.any()
    assert window.statusBar().currentMessage() == (
        "Nothing filled: Fill changes only voxels from 1000 to 2000, and the voxel clicked is "
        "outside that range (its Only intensity options; Threshold's Use for masking sets them); "
        "untick them to fill everywhere.")
