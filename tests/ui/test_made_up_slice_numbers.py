"""A made-up slice is numbered as the view along the slices numbers it: ``neuroview info``'s
``made-up slice N of M (VIEW view)`` and the loader's warning give the N the view's corner shows
(``N/M``) where the orange ``made-up slice`` note is. The views count from the I, P or L end;
both counted along the array's k axis until session 45, so in a coronal series (k towards P)
and a sagittal one whose k runs towards L the numbers differed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from made_up_series import open_chosen, orange
from PySide6.QtCore import Qt
from viewer_pixels import grab

from neuroview.cli.main import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

import series_maker  # noqa: E402

SERIES = {   # (row, column) directions in LPS: the slices' normal, where k runs, and the view
    "coronal, k towards P": (((1, 0, 0), (0, 0, -1)), "coronal"),
    "coronal, k towards A": (((-1, 0, 0), (0, 0, -1)), "coronal"),
    "sagittal, k towards R": (((0, 1, 0), (0, 0, -1)), "sagittal"),
    "sagittal, k towards L": (((0, -1, 0), (0, 0, -1)), "sagittal"),
}


@pytest.mark.parametrize("kind", SERIES)
def test_info_and_the_warning_give_the_number_the_view_shows(qtbot, window, tmp_path, capsys,
                                                               mni_volume, monkeypatch, kind):
    directions, plane = SERIES[kind]
    monkeypatch.setitem(series_maker.ORIENTATIONS, kind, directions)
    folder = tmp_path / "series"
    series_maker.write_series(folder, mni_volume, series_maker.SeriesSpec(
        orientation=kind, rows=24, cols=24, n_slices=6, row_spacing=8, col_spacing=8,
        slice_step=5.0, missing=(1,), shuffle_names=False))
    assert main(["info", str(folder)]) == 0
    out = capsys.readouterr().out
    said = re.search(r"made-up slice (\d) of 6(?: \((\w+) view\))?: no image acquired", out)
    warned = re.search(r"slice (\d) of 6(?: \((\w+) view\))? interpolated between its", out)
    assert said and warned, out

    open_chosen(qtbot, window, folder)
    view = window.slice_views[plane]
    qtbot.waitUntil(lambda: view.width() > 200, timeout=5000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Home)
    marked = []
    for _ in range(6):   # slice by slice from the first, as the arrow key steps
        qtbot.wait(10)
        if orange(grab(view)) > 100:
            marked.append(window.controller.state.slice_number_text(plane))
        qtbot.keyClick(view, Qt.Key_Up)
    assert marked == [f"{said.group(1)}/6"] == [f"{warned.group(1)}/6"], (kind, marked, out)
    assert said.group(2) == warned.group(2) == plane
