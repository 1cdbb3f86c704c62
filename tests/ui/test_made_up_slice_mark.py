"""A slice neuroview makes up for a missing one (a series resampled onto even slices) is marked
where a radiologist looks: the slice view's lower left corner says "made-up slice: no image
acquired here" in orange on that slice, on a view along the acquired slices, and nowhere else;
`neuroview info` lists it. Until session 45 only the notice bar said so, when the image opened."""

from __future__ import annotations

from made_up_series import missing_slice, open_chosen, orange
from PySide6.QtCore import Qt
from viewer_pixels import grab

from neuroview.render.slices import MADE_UP_NOTE


def _k(window) -> float:
    volume = window.controller.volume
    return float(volume.ras_to_ijk_points(window.controller.state.crosshair_ras)[2])


def test_the_made_up_slice_says_so_in_its_view_and_its_neighbours_do_not(qtbot, window, tmp_path):
    open_chosen(qtbot, window, missing_slice(tmp_path / "ct"))
    volume = window.controller.volume
    assert volume.made_up_slices == (2,) and volume.shape[2] == 6
    axial, coronal = window.slice_views["axial"], window.slice_views["coronal"]
    qtbot.waitUntil(lambda: axial.width() > 200, timeout=5000)
    axial.setFocus()
    qtbot.keyClick(axial, Qt.Key_Home)
    seen = {}
    for _ in range(6):   # slice by slice from the first, as the arrow key steps
        qtbot.waitUntil(lambda: axial.last is not None, timeout=5000)
        pixels = grab(axial)
        h = pixels.shape[0]
        seen[round(_k(window), 3)] = (orange(pixels[h // 2:]), orange(pixels))
        qtbot.keyClick(axial, Qt.Key_Up)
    assert sorted(seen) == [0, 1, 2, 3, 4, 5]
    assert seen[2][0] > 100, seen                     # the note's letters, in the lower half
    assert all(total == 0 for k, (_, total) in seen.items() if k != 2), seen
    assert seen[2][0] == seen[2][1]                   # nowhere but there
    qtbot.keyClick(axial, Qt.Key_Down)
    qtbot.keyClick(axial, Qt.Key_Down)
    qtbot.keyClick(axial, Qt.Key_Down)               # back on the made-up slice
    assert round(_k(window), 3) == 2
    assert orange(grab(coronal)) == 0                # across the slices: one row of it, no mark
    assert orange(grab(axial)) == seen[2][1]
    assert orange(window.view_picture("axial")) > 100   # the exported PNG as on screen


def test_info_lists_the_made_up_slices(tmp_path, cli):
    proc = cli("info", missing_slice(tmp_path / "ct"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert ("    made-up slice 3 of 6 (axial view): no image acquired there, interpolated between the "
            "acquired slices around") in lines
    assert MADE_UP_NOTE == "made-up slice: no image acquired here"
