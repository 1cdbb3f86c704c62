"""A case is ``corrected`` in the worklist once a voxel is changed by hand, not when a step
changes none: a stroke cancelled with Esc, a segment added, shown,
hidden, locked or recoloured. Each made the case ``corrected`` (the Worklist panel said so to
every annotator, and ``dataset rank`` passed over it as labelled), found walking the window with
P, a stroke and Esc (session 38)."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, pixel_of, stroke
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist


def test_steps_that_change_no_voxel_leave_the_case_new(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    session = window.editor.session
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    view = window.slice_views["axial"]
    x, y = (int(v) for v in pixel_of(window, "axial", INSIDE_CASE_RAS))
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, QPoint(x, y))
    QTest.mouseMove(view, QPoint(x + 10, y))
    QTest.keyClick(view, Qt.Key_Escape)                        # the stroke cancelled
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, QPoint(x + 10, y))
    # the segment its press made went with it (it stayed, empty, until session 38)
    assert list(session.labels.segments) == [] and not session.labels.array.any()
    value = session.segments.add("Segment 1").value
    session.segments.hide(value)
    session.segments.show(value)
    session.segments.lock(value)
    session.segments.lock(value, False)
    session.segments.recolor(value, (10, 200, 30))
    window.training_actions.record_edits()       # as after each step (the editor's timer)
    assert Worklist.open(cases).case("a_case.nii.gz").status == "new"
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + [6.0, 0, 0]])   # a voxel changed
    qtbot.waitUntil(lambda: Worklist.open(cases).case("a_case.nii.gz").status == "corrected", timeout=5000)
