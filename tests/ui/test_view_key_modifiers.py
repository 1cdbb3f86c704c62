"""The slice views take R and the slice keys (arrows, PgUp/PgDn) only as the key table lists them,
with no modifier: Shift+R reset the view as R does and Ctrl+Left or Shift+Down moved a slice as
Left and Down do, taking those keys from any binding that wants them. The keypad's arrows (which
carry Qt's keypad flag) still move a slice. The follow-up window's panes likewise."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import axial_taking_keys
from followup_views import followup_view  # noqa: F401
from key_presses import press, type_key
from PySide6.QtCore import Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


@pytest.fixture
def axial(qtbot, window, tmp_path):
    return axial_taking_keys(qtbot, window, tmp_path)


def _depth(window) -> float:
    return window.controller.state.slice_position_mm("axial")


@pytest.mark.parametrize("modifier", [Qt.ShiftModifier, Qt.AltModifier | Qt.ShiftModifier,
                                      Qt.MetaModifier])
def test_r_with_a_modifier_leaves_the_view_zoomed(qtbot, window, axial, modifier):
    state = window.controller.state
    type_key(window, Qt.Key_Equal)
    zoomed = state.views["axial"].zoom
    assert np.isclose(zoomed, 1.25)
    type_key(window, Qt.Key_R, modifier)
    assert np.isclose(state.views["axial"].zoom, zoomed)     # was 1.0: reset as by R
    type_key(window, Qt.Key_R)
    assert np.isclose(state.views["axial"].zoom, 1.0)


@pytest.mark.parametrize("key, modifier", [
    (Qt.Key_Left, Qt.ControlModifier), (Qt.Key_Right, Qt.ControlModifier),
    (Qt.Key_Down, Qt.ShiftModifier), (Qt.Key_Up, Qt.ControlModifier | Qt.ShiftModifier),
    (Qt.Key_PageUp, Qt.ShiftModifier)])
def test_slice_keys_with_a_modifier_leave_the_slice(qtbot, window, axial, key, modifier):
    before = _depth(window)
    type_key(window, key, modifier)
    assert _depth(window) == pytest.approx(before)
    type_key(window, key)                                  # the plain key moves one slice
    step = window.controller.state.slice_step_mm("axial")
    sign = 1 if key in (Qt.Key_Right, Qt.Key_Up, Qt.Key_PageUp) else -1
    assert _depth(window) == pytest.approx(before + sign * step)


def test_the_keypad_arrows_still_move_a_slice(qtbot, window, axial):
    before = _depth(window)
    type_key(window, Qt.Key_Up, Qt.KeypadModifier)
    assert _depth(window) == pytest.approx(before + window.controller.state.slice_step_mm("axial"))


def test_followup_panes_take_the_slice_keys_and_r_plain_only(followup_view, qtbot):  # noqa: F811
    view = followup_view
    pair = view.pair
    depth = pair.state.slice_position_mm("axial")
    press(qtbot, pair, Qt.Key_Down, Qt.ControlModifier)
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth)
    press(qtbot, pair, Qt.Key_Down)
    assert pair.state.slice_position_mm("axial") == pytest.approx(depth - pair.state.slice_step_mm("axial"))
    pair.state.zoom_by("axial", 2.0)
    press(qtbot, pair, Qt.Key_R, Qt.ShiftModifier)
    assert np.isclose(pair.state.views["axial"].zoom, 2.0)
    press(qtbot, pair, Qt.Key_R)
    assert np.isclose(pair.state.views["axial"].zoom, 1.0)
