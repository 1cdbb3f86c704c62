"""A slice neuroview makes up for a missing one (a series resampled onto even slices) is marked
where a radiologist looks: the slice view's lower left corner says "made-up slice: no image
acquired here" in orange on that slice, on a view along the acquired slices, and nowhere else;
`neuroview info` lists it. Until session 45 only the notice bar said so, when the image opened."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from viewer_pixels import grab

from neuroview.render.slices import MADE_UP_NOTE, WARNING_COLOR

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402


def _missing_slice(folder: Path) -> Path:
    """Six 5 mm slices of a head CT, the third (z = 10 mm) left out: made up on opening."""
    written = write_ct(folder, n_slices=6, size=64, spacing=3.5)
    (written.folder / "CT002.dcm").unlink()
    return written.folder


def _orange(pixels: np.ndarray) -> int:
    """Pixels of the warning's colour (the letters are yellow, the crosshair gold, the CT grey)."""
    r, g, b = (pixels[..., n].astype(int) for n in range(3))
    return int(np.count_nonzero((abs(r - WARNING_COLOR[0]) < 30) & (abs(g - WARNING_COLOR[1]) < 30)
                                & (abs(b - WARNING_COLOR[2]) < 40)))


def _open(qtbot, window, folder: Path) -> None:
    """Open the series as the user does: the chooser (shown for the missing slice), *Open*."""
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=30000)
    buttons = window.series_dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.Open), Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def _k(window) -> float:
    volume = window.controller.volume
    return float(volume.ras_to_ijk_points(window.controller.state.crosshair_ras)[2])


def test_the_made_up_slice_says_so_in_its_view_and_its_neighbours_do_not(qtbot, window, tmp_path):
    _open(qtbot, window, _missing_slice(tmp_path / "ct"))
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
        seen[round(_k(window), 3)] = (_orange(pixels[h // 2:]), _orange(pixels))
        qtbot.keyClick(axial, Qt.Key_Up)
    assert sorted(seen) == [0, 1, 2, 3, 4, 5]
    assert seen[2][0] > 100, seen                     # the note's letters, in the lower half
    assert all(total == 0 for k, (_, total) in seen.items() if k != 2), seen
    assert seen[2][0] == seen[2][1]                   # nowhere but there
    qtbot.keyClick(axial, Qt.Key_Down)
    qtbot.keyClick(axial, Qt.Key_Down)
    qtbot.keyClick(axial, Qt.Key_Down)               # back on the made-up slice
    assert round(_k(window), 3) == 2
    assert _orange(grab(coronal)) == 0                # across the slices: one row of it, no mark
    assert _orange(grab(axial)) == seen[2][1]
    assert _orange(window.view_picture("axial")) > 100   # the exported PNG as on screen


def test_info_lists_the_made_up_slices(tmp_path, cli):
    proc = cli("info", _missing_slice(tmp_path / "ct"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert ("    made-up slice 3 of 6 (axial view): no image acquired there, interpolated between the "
            "acquired slices around") in lines
    assert MADE_UP_NOTE == "made-up slice: no image acquired here"
