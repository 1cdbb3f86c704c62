"""Keyboard zoom in the slice views (+, =, Ctrl+= in; -, Ctrl+- out; R resets, as before) and keys
for the View menu's layouts (Ctrl+1 four-up, Ctrl+2 one row, Ctrl+3 one view): there were none,
only Ctrl+wheel and right-drag zoomed."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import axial_taking_keys
from key_presses import type_key
from PySide6.QtCore import Qt

from neuroview.ui.help_menu import shortcut_rows


@pytest.fixture
def axial(qtbot, window, tmp_path):
    return axial_taking_keys(qtbot, window, tmp_path)


def _mm_per_pixel(window, view) -> float:
    return window.controller.state.geometry("axial", view.width(), view.height()).mm_per_pixel


@pytest.mark.parametrize("key, modifier, factor", [
    (Qt.Key_Plus, Qt.ShiftModifier, 1.25), (Qt.Key_Equal, Qt.NoModifier, 1.25),
    (Qt.Key_Equal, Qt.ControlModifier, 1.25), (Qt.Key_Minus, Qt.NoModifier, 0.8),
    (Qt.Key_Minus, Qt.ControlModifier, 0.8)])
def test_zoom_keys_zoom_the_view_with_the_keys(qtbot, window, axial, key, modifier, factor):
    axial._hover = (40.0, 50.0)   # the pointer over the view: that point stays under it
    state = window.controller.state
    size = (axial.width(), axial.height())
    under_pointer = state.geometry("axial", *size).pixel_to_ras(40.0, 50.0)
    before = _mm_per_pixel(window, axial)
    type_key(window, key, modifier)
    assert np.isclose(before / _mm_per_pixel(window, axial), factor)
    np.testing.assert_allclose(state.geometry("axial", *size).pixel_to_ras(40.0, 50.0),
                               under_pointer, atol=1e-6)
    assert np.isclose(state.views["sagittal"].zoom, 1.0)      # the other views stay


def test_zoom_in_twice_then_r_resets(qtbot, window, axial):
    axial._hover = None   # no pointer over the view: it zooms about its centre
    fit = _mm_per_pixel(window, axial)
    centre = window.controller.state.geometry("axial", axial.width(), axial.height()).pixel_to_ras(
        axial.width() / 2, axial.height() / 2)
    type_key(window, Qt.Key_Equal)
    type_key(window, Qt.Key_Equal)
    assert np.isclose(fit / _mm_per_pixel(window, axial), 1.5625)
    np.testing.assert_allclose(window.controller.state.geometry(
        "axial", axial.width(), axial.height()).pixel_to_ras(axial.width() / 2,
                                                             axial.height() / 2), centre, atol=1e-6)
    type_key(window, Qt.Key_R)
    assert np.isclose(_mm_per_pixel(window, axial), fit)


def test_layout_keys(qtbot, window, axial):
    type_key(window, Qt.Key_3, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not window.view3d.isVisible())
    assert axial.isVisible() and not window.slice_views["coronal"].isVisible()
    assert window.layout_actions["single"].isChecked()
    type_key(window, Qt.Key_2, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.slice_views["coronal"].isVisible())
    assert not window.view3d.isVisible() and window.layout_actions["one-row"].isChecked()
    type_key(window, Qt.Key_1, Qt.ControlModifier)
    qtbot.waitUntil(lambda: window.view3d.isVisible())
    assert window.layout_actions["four-up"].isChecked()
    rows = {(what, keys) for _where, what, keys in shortcut_rows(window.menuBar())}
    assert ("One view", "Ctrl+3") in rows and ("Four-up", "Ctrl+1") in rows
    assert any(what.startswith("Zoom in / out") for what, _ in rows)
