"""An erase stroke over a locked segment says it is locked: with the locked segment selected (Erase
on "the selected segment"), the status line said "Erase removes only 'lesion' (selected); 'lesion'
is under the brush. Select it, or press Shift+E", advice that erased nothing either (session 32's
walk of the segment editor)."""

from __future__ import annotations

import numpy as np
from editor_helpers import erase_painted_line, painted_voxels, segment_painted

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _locked_lesion(qtbot, window, tmp_path):
    session, lesion = segment_painted(qtbot, window, tmp_path, "lesion")
    painted = painted_voxels(session, lesion)
    session.segments.lock(lesion.value)
    return session, lesion, painted


def test_erasing_the_selected_locked_segment_says_it_is_locked(qtbot, window, tmp_path):
    session, lesion, painted = _locked_lesion(qtbot, window, tmp_path)
    assert session.active_segment == lesion.value
    erase_painted_line(qtbot, window)
    assert np.array_equal(session.labels.array == lesion.value, painted)       # nothing erased
    assert window.statusBar().currentMessage() == \
        "Nothing erased: 'lesion' under the brush is locked; unlock it in Segments."


def test_a_locked_segment_under_another_selected_one_says_locked_too(qtbot, window, tmp_path):
    session, lesion, painted = _locked_lesion(qtbot, window, tmp_path)
    session.segments.add("edema")                                                # selected, empty
    erase_painted_line(qtbot, window)
    assert np.array_equal(session.labels.array == lesion.value, painted)
    text = window.statusBar().currentMessage()
    assert text == "Nothing erased: 'lesion' under the brush is locked; unlock it in Segments.", text
