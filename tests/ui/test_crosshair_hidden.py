"""*View > Crosshair* (X): the crosshair's lines hidden in the slice views and in *Export view as
PNG*, as a CT reader takes a key image of a bleed with no line across it; the views stay linked
(a click still moves every view's slice), X again shows them, and another image keeps the choice.
The lines were drawn across every view and every exported PNG, with no way to leave them out."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, shortcut, write_image
from PySide6.QtCore import Qt
from viewer_pixels import grab

from neuroview.render.png import read_png
from neuroview.render.slices import CROSSHAIR_COLOR

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _gold(rgb: np.ndarray) -> int:
    return int(np.all(rgb[..., :3] == CROSSHAIR_COLOR, axis=-1).sum())


def _exported(window, tmp_path, name) -> np.ndarray:
    path = tmp_path / f"{name}.png"
    window.export_view(path, "axial")
    return read_png(path)


def test_x_hides_the_crosshair_on_screen_and_in_the_png(qtbot, window, tmp_path):
    first, _ = write_image(tmp_path, "first")
    open_image(qtbot, window, first)
    view = window.slice_views["axial"]
    window.repaint()
    assert _gold(grab(view)) > 100 and _gold(_exported(window, tmp_path, "shown")) > 100

    shortcut(qtbot, window, Qt.Key_X)
    assert not window.crosshair_action.isChecked()
    assert window.statusBar().currentMessage() == "Crosshair hidden (X shows it)"
    window.repaint()
    assert _gold(grab(view)) == 0
    hidden = _exported(window, tmp_path, "hidden")
    assert _gold(hidden) == 0 and hidden.std() > 0   # the slice itself is there

    before = window.controller.state.crosshair_ras.copy()   # still linked: a scroll moves it
    window.controller.scroll("axial", 2)
    assert not np.allclose(window.controller.state.crosshair_ras, before)
    window.repaint()
    assert _gold(grab(view)) == 0

    second, _ = write_image(tmp_path, "second", affine_name="oblique")
    open_image(qtbot, window, second)
    window.repaint()
    assert _gold(grab(view)) == 0 and not window.crosshair_action.isChecked()
    shortcut(qtbot, window, Qt.Key_X)
    window.repaint()
    assert _gold(grab(view)) > 100 and window.crosshair_action.isChecked()
