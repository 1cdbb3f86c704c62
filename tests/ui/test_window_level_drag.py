"""A window/level drag moves by a share of the window shown (its width / 200 a pixel), as VTK's image
interactor scales its drag with the window: fine on an 80 HU brain window, quick on a wide one. It
moved a fixed 1/500 of the image's range a pixel: 8 HU on CT, a 20-pixel drag quintupled a narrow
window."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES
from viewer_pixels import drag, open_case, save_case


@pytest.mark.parametrize("share", [0.02, 1.0])   # a narrow window (a brain window on CT), the whole range
def test_drag_moves_by_a_share_of_the_window_shown(qtbot, window, tmp_path, share):
    image, _ = save_case(tmp_path, "ras", AFFINES["ras"])
    open_case(qtbot, window, image)
    c, axial = window.controller, window.slice_views["axial"]
    span = c.range[1] - c.range[0]
    window.mode_actions["window-level"].trigger()
    w0, l0 = share * span, c.range[0] + 0.5 * span
    c.set_window_level(w0, l0)
    drag(axial, [(10, 0), (10, 0)])        # 20 pixels right, in two moves
    assert np.isclose(c.state.window, 1.1 * w0, rtol=1e-6), (c.state.window / w0)
    assert np.isclose(c.state.level, l0)
    drag(axial, [(0, -20)])                # 20 pixels up: the level down by a tenth of the window
    assert np.isclose(c.state.level, l0 - 0.1 * 1.1 * w0, rtol=1e-6)
    assert np.isclose(window.display_panel.window_box.value(), c.state.window, atol=0.1)
