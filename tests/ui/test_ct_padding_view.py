"""A CT padded outside its field of view (PixelPaddingValue) is drawn as air in the window: the
corners of the axial view were white in the brain window on an unsigned series padded with 63536
(62512 HU), a bright frame around the head."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from viewer_pixels import expected_pixel, grab, open_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from ct_maker import write_ct  # noqa: E402


def test_padding_outside_the_field_of_view_is_drawn_black_in_the_brain_window(qtbot, window,
                                                                             tmp_path):
    written = write_ct(tmp_path / "ct", unsigned=True, padding=63536, n_slices=6)
    open_case(qtbot, window, written.folder)
    state = window.controller.state
    assert (state.window, state.level) == (80, 40)   # a CT opens at brain 80/40
    volume = window.controller.volume
    axial = window.slice_views["axial"]
    k = int(round((np.linalg.inv(volume.ijk_to_ras) @ np.append(state.center_ras, 1))[2]))
    pixels = grab(axial)
    for ijk, what in (((1, 1, k), "padding"), ((24, 24, k), "brain")):
        p_ras = (volume.ijk_to_ras @ np.append(ijk, 1))[:3]
        x, y = expected_pixel(window, "axial", p_ras)
        grey = pixels[int(round(y)), int(round(x))].max()
        assert (grey < 20) if what == "padding" else (grey > 20), (what, grey)
