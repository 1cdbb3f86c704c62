"""Rulers drawn on a case, and their pixels: helpers that test_ruler_edit.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np
from measure_drawing import drag, open_image


def open_shown(qtbot, window, tmp_path):
    """Open the image and wait until the axial view has drawn it: rulers are picked on the
    slice the view shows (a user sees it before clicking; under load the first paint came
    after the test's first press)."""
    open_image(qtbot, window, tmp_path)
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)


def two_rulers(qtbot, window, tmp_path):
    """Open the image (``open_shown``) and draw two rulers on the axial view in Ruler mode, one
    from pixel (60, 100) to (200, 100), one from (60, 200) to (120, 200): (controller, axial
    view, first ruler, second ruler)."""
    open_shown(qtbot, window, tmp_path)
    c, axial = window.controller, window.slice_views["axial"]
    window.mode_actions["ruler"].trigger()
    drag(qtbot, axial, (60, 100), (200, 100))
    drag(qtbot, axial, (60, 200), (120, 200))
    first, second = c.rulers
    return c, axial, first, second


def ruler_pixels(view, ruler):
    geom = view.window().controller.state.geometry(view.plane, view.width(), view.height())
    return [np.array(geom.ras_to_pixel(p)) for p in (ruler.start_ras, ruler.end_ras)]
