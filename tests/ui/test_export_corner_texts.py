"""*Export view as PNG* wrote the slice with its letters, slice number and scale bar, but neither
the series' name nor the window/level it was read at (Horos' export writes both in its corner
texts). They are written upper left, as on a PACS viewer's key image."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, write_image

from neuroview.render.png import read_png
from neuroview.render.text import draw_text


def test_an_exported_view_names_its_series_and_window(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    state = window.controller.state
    state.window, state.level = 400.0, 40.0
    window.export_view(tmp_path / "axial.png", "axial")
    picture = read_png(tmp_path / "axial.png")
    name = window.controller.volume.description
    assert name
    expected = np.zeros((60, 300, 3), np.uint8)          # the two lines, drawn on black
    y = draw_text(expected, name, 4, 3, (230, 230, 230), "top-left", 12)[3] + 1
    x0, y0, x1, y1 = draw_text(expected, "W 400  L 40", 4, y, (230, 230, 230), "top-left", 12)
    text = expected[:y1, :x1].max(axis=2) > 200            # the letters' own pixels
    assert np.array_equal(picture[:y1, :x1][text], expected[:y1, :x1][text])
