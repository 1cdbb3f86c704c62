"""*Export view as PNG* wrote the slice with its letters, slice number and scale bar, but not the
window/level it was read at (Horos' export writes it in its corner texts): it is written upper
left. The series' DICOM description is not (a PACS may fill it with patient text)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, write_image

from neuroview.render.png import read_png
from neuroview.render.text import draw_text

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_an_exported_view_says_its_window_and_not_its_description(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    state = window.controller.state
    state.window, state.level = 400.0, 40.0
    window.export_view(tmp_path / "axial.png", "axial")
    picture = read_png(tmp_path / "axial.png")
    name = window.controller.volume.description
    assert name
    expected = np.zeros((60, 300, 3), np.uint8)          # the line, drawn on black
    x0, y0, x1, y1 = draw_text(expected, "W 400  L 40", 4, 3, (230, 230, 230), "top-left", 12)
    text = expected[:y1, :x1].max(axis=2) > 200            # the letters' own pixels
    assert np.array_equal(picture[:y1, :x1][text], expected[:y1, :x1][text])
    described = np.zeros((60, 300, 3), np.uint8)          # where the description would be drawn
    _x0, _y0, dx1, dy1 = draw_text(described, name, 4, y1 + 1, (230, 230, 230), "top-left", 12)
    letters = described[:dy1, :dx1].max(axis=2) > 200
    assert not np.array_equal(picture[:dy1, :dx1][letters], described[:dy1, :dx1][letters])
