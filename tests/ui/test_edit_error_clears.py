"""The red bar holds an editing error until the next edit works ("until dismissed or the next
success"): a Fill clicked outside the image, then inside, no longer leaves "the fill point lies
outside the image" on screen over the filled region. An error of another kind stays."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, stroke

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _outside_point(window):
    view = window.slice_views["axial"]
    geom = window.controller.state.geometry("axial", view.width(), view.height())
    p_ras = geom.pixel_to_ras(1.5, 1.5)
    assert window.controller.volume.ras_to_voxel(p_ras) is None, "a corner of the view, off the image"
    return p_ras


def _fill_outside_then_inside(window, session):
    window.edit_actions.panel.select_tool("fill")
    stroke(window, "axial", [_outside_point(window)])
    assert "outside the image" in window.message_bar.text
    before = int(session.labels.array.sum())
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert int(session.labels.array.sum()) > before, "the second fill worked"


def test_a_fill_that_works_clears_the_fill_error_before_it(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    _fill_outside_then_inside(window, session)
    assert window.message_bar.text == ""


def test_an_error_that_is_not_the_editors_stays_after_an_edit(qtbot, window, tmp_path):
    _volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    window.show_error("/data/other.nii.gz: compressed data is broken or truncated")
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert np.count_nonzero(session.labels.array)
    assert "truncated" in window.message_bar.text
