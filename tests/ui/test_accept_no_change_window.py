"""In the window, an accept that changes no voxel records no undo step and says so in the status
line: a second AI click in the object just accepted (the preview equals it voxel for voxel) and a
Grow from seeds applied again. Until session 33 Enter recorded a step that undid nothing (the first
Ctrl+Z did nothing visible) and the *From* cell's tooltip counted the second click."""

from __future__ import annotations

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _setup
from editor_helpers import click_preview, open_case, shortcut
from PySide6.QtCore import Qt


def test_an_ai_click_inside_the_accepted_object_records_nothing(qtbot, window, tmp_path):
    session, _, _ = _setup(qtbot, window, tmp_path)
    _answered_click(qtbot, window, CENTRE)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    value, object_voxels = session.active_segment, session.labels.array.copy()
    assert (object_voxels == value).sum() > 100
    table = window.edit_actions.panel.table                  # the segment editor's From column
    assert table.item(0, 4).toolTip() == "AI click grow-from-seeds, 1 prompt"
    steps = len(session.history)

    shown = _answered_click(qtbot, window, CENTRE + [1.5, 0, 0])   # inside the object
    assert np.array_equal(shown, object_voxels)              # the preview is the object
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert not window.editor.has_preview() and len(session.history) == steps
    name = session.labels.segments.get(value).name
    assert window.statusBar().currentMessage() == (
        f"AI click: the object is already in {name}; nothing changed")
    assert table.item(0, 4).text() == "AI click"
    assert table.item(0, 4).toolTip() == "AI click grow-from-seeds, 1 prompt"   # not 2 prompts
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the first Ctrl+Z takes the object back
    assert not (session.labels.array == value).any()


def test_grow_from_seeds_applied_again_records_nothing(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    inside = session.segments.add("ball")
    session.apply("paint", at_ras=(0, 0, 0), radius_mm=4, mode="3d", segment=inside)
    outside = session.segments.add("outside")
    session.apply("paint", at_ras=(0, 0, 40), radius_mm=4, mode="3d", segment=outside)
    session.set_params("grow", padding_mm=200.0)             # the whole image, grown once for all
    panel = window.edit_actions.panel
    panel.select_tool("grow")
    click_preview(qtbot, window)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    grown, steps = session.labels.array.copy(), len(session.history)
    click_preview(qtbot, window)
    assert np.array_equal(window.controller.preview_labels.array, grown)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Return)
    assert not window.editor.has_preview() and len(session.history) == steps
    assert np.array_equal(session.labels.array, grown)
    assert window.statusBar().currentMessage() == (
        "The Grow from seeds result is what the labels already hold: nothing changed")
