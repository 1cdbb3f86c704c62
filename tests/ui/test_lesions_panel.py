"""The Lesions panel: sortable list of components; clicking a row or `.`/`,` moves every view there."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import grab, open_image, pixel_of, wait_for_session, write_image
from lesion_lists import _click_row, _two_lesions, list_of_two
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDockWidget

from neuroview.app.components import voxel_ras


def test_click_a_lesion_jumps_all_views_there(qtbot, window, tmp_path):
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path, affine_name="oblique")
    table = panel.table
    # sort by volume, smallest first, with a click on the header as a user would
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(1) + 5, 5))
    if header.sortIndicatorOrder() != Qt.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(1) + 5, 5))
    volumes = [table.item(r, 1).data(Qt.DisplayRole) for r in range(2)]
    assert volumes == sorted(volumes) and volumes[0] == pytest.approx(8 * 8 / 1000, abs=1e-3)

    _click_row(qtbot, table, 0)  # the small lesion
    crosshair = window.controller.state.crosshair_ras
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(crosshair, 1))[:3].astype(int)
    assert small[tuple(ijk)], "the crosshair is on a voxel of the small lesion"
    expected = voxel_ras(panel.components[1].jump_ijk, volume.ijk_to_ras)
    np.testing.assert_allclose(crosshair, expected, atol=1e-6)
    # the axial view now shows the lesion under the crosshair, in the segment's colour
    view = window.slice_views["axial"]
    view.repaint()
    x, y = (int(round(v)) for v in pixel_of(window, "axial", crosshair))
    pixels = grab(view)[max(y - 2, 0):y + 3, max(x - 2, 0):x + 3].reshape(-1, 3).astype(int)
    colour = np.array(segment.color)
    assert (np.abs(pixels - colour).sum(axis=1) < 120).any(), "lesion colour near the crosshair"

    # `.` (next lesion) with the pointer's view focused goes to the other (big) one, `,` back
    window.activateWindow()
    view.setFocus()
    qtbot.keyClick(view, ".")
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(window.controller.state.crosshair_ras, 1))
    assert big[tuple(ijk[:3].astype(int))]
    qtbot.keyClick(view, ",")
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(window.controller.state.crosshair_ras, 1))
    assert small[tuple(ijk[:3].astype(int))]


def test_list_refreshes_after_an_edit(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    segment, big, small = _two_lesions(session)
    panel = window.lesions
    window.findChild(QDockWidget, "Lesions").raise_()  # the user looks at the list
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=5000)
    # erase the small lesion with the eraser: the list drops to one row
    centre = voxel_ras(np.argwhere(small).mean(axis=0), volume.ijk_to_ras)
    session.apply("erase", at_ras=centre, radius_mm=6.0, mode="3d")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    assert panel.components[0].voxels == big.sum()
    assert "1 lesion," in panel.summary.text()


def test_model_result_fills_the_list_and_jumps_to_its_largest_lesion(qtbot, window, tmp_path):
    """What AI > Segment does when its result lands (the model itself is tested in tests/ai)."""
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("drawn by hand")  # the active segment: not the model's
    result = np.zeros(volume.shape, np.uint8)
    result[5:8, 5:8, 5:8] = 1
    result[30:36, 28:34, 30:35] = 1  # the largest
    before = window.controller.state.crosshair_ras.copy()
    session.apply_model_result(result, {1: "lesion"}, model="fake@1")
    panel = window.lesions
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=5000)
    assert panel.segment_box.currentText() == "lesion"
    assert window.findChild(QDockWidget, "Lesions").isVisible()
    crosshair = window.controller.state.crosshair_ras
    assert not np.allclose(crosshair, before)
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(crosshair, 1))[:3].astype(int)
    assert tuple(ijk) == panel.components[0].jump_ijk and panel.components[0].voxels == 180
    assert 30 <= ijk[0] < 36 and 28 <= ijk[1] < 34 and 30 <= ijk[2] < 35
    # the list is largest first, and after the refresh that follows every edit the highlighted
    # row is still the lesion under the crosshair
    qtbot.wait(2 * 300 + 200)
    rows = panel.table.selectionModel().selectedRows()
    assert len(rows) == 1 and panel.table.item(rows[0].row(), 0).data(Qt.UserRole) == 1
    assert rows[0].row() == 0


def test_next_lesion_key_works_with_the_list_closed(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.findChild(QDockWidget, "Lesions").close()  # the user closed the list
    segment, big, small = _two_lesions(session)
    assert not window.lesions.isVisible() and window.lesions.table.rowCount() == 0
    view = window.slice_views["coronal"]
    window.activateWindow()
    view.setFocus()
    qtbot.keyClick(view, ".")
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(window.controller.state.crosshair_ras, 1))
    assert big[tuple(ijk[:3].astype(int))], "first lesion in the list: the largest"


def test_centroids_read_as_sides_and_sort_by_position(qtbot, window, tmp_path):
    """"L 23.0" for a lesion 23 mm left of x = 0 (it read "R -23", easily taken for right), and the
    side columns sort by the signed coordinate, not by their text."""
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    _two_lesions(session)
    panel = window.lesions
    window.findChild(QDockWidget, "Lesions").raise_()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=5000)
    table = panel.table
    big, small = panel.components[0].centroid_ras, panel.components[1].centroid_ras
    assert big[0] < -1 and small[0] > 1 and big[1] < -1 and small[2] < -1     # as the case lies
    cells = {table.item(r, 0).data(Qt.UserRole): [table.item(r, c).text() for c in (3, 4, 5)]
             for r in range(2)}
    assert cells[1][:2] == [f"L {-big[0]:.1f}", f"P {-big[1]:.1f}"]
    assert cells[2][0] == f"R {small[0]:.1f}" and cells[2][2] == f"I {-small[2]:.1f}"
    assert [table.horizontalHeaderItem(c).text() for c in (3, 4, 5)] == ["R/L", "A/P", "S/I"]
    table.sortItems(4, Qt.AscendingOrder)       # posterior to anterior ("P 19.0" before "A 16.0")
    assert [table.item(r, 0).data(Qt.UserRole) for r in range(2)] == [1, 2]
    table.sortItems(3, Qt.DescendingOrder)      # right to left
    assert [table.item(r, 0).data(Qt.UserRole) for r in range(2)] == [2, 1]


def test_a_jump_to_a_lesion_off_a_zoomed_view_pans_it_into_sight(qtbot, window, tmp_path):
    """Zoomed in on one lesion, `.` went to the next one off screen: the crosshair moved there but
    the zoomed views showed no lesion. Now a view that does not show the lesion is panned to
    centre it (the zoom kept); a view that shows it stays where it was."""
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    segment, big, small = _two_lesions(session)
    window.findChild(QDockWidget, "Lesions").raise_()
    qtbot.waitUntil(lambda: window.lesions.table.rowCount() == 2, timeout=5000)
    state = window.controller.state
    view = window.slice_views["axial"]
    state.views["axial"].zoom = 6.0
    state.views["axial"].pan_mm = np.array([40.0, 40.0])   # looking at a corner, far from both
    window.controller.changed.emit()
    coronal_pan = state.views["coronal"].pan_mm.copy()      # not zoomed: shows every lesion
    window.activateWindow()
    view.setFocus()
    qtbot.keyClick(view, ".")
    crosshair = state.crosshair_ras
    ijk = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(crosshair, 1))[:3].astype(int)
    assert big[tuple(ijk)]
    assert state.views["axial"].zoom == 6.0
    x, y = pixel_of(window, "axial", crosshair)
    assert abs(x - view.width() / 2) < 2 and abs(y - view.height() / 2) < 2, (x, y)
    np.testing.assert_array_equal(state.views["coronal"].pan_mm, coronal_pan)
    view.repaint()
    xi, yi = int(round(x)), int(round(y))
    pixels = grab(view)[yi - 2:yi + 3, xi - 2:xi + 3].reshape(-1, 3).astype(int)
    assert (np.abs(pixels - np.array(segment.color)).sum(axis=1) < 120).any(), "the lesion on screen"


def test_a_jump_to_a_lesion_at_a_zoomed_views_edge_centres_it(qtbot, window, tmp_path):
    """A zoomed view whose corner held the next lesion's point (5 pixels in, under the notice bar
    floating over the views' top) counted as showing it and stayed put: the reader saw a sliver
    at the edge. Within 15 % of an edge now counts as not shown: the view is panned to centre it."""
    volume, session, segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    target = next(voxel_ras(c.jump_ijk, volume.ijk_to_ras) for c in panel.components
                  if big[tuple(c.jump_ijk)])
    state, view = window.controller.state, window.slice_views["axial"]
    state.views["axial"].zoom = 6.0
    window.controller.changed.emit()
    x, y = pixel_of(window, "axial", target)
    mm_per_pixel = view._geometry().mm_per_pixel
    state.views["axial"].pan_mm = state.views["axial"].pan_mm + np.array([x - 5, y - 30]) * mm_per_pixel
    window.controller.changed.emit()
    x, y = pixel_of(window, "axial", target)
    assert abs(x - 5) < 1 and abs(y - 30) < 1, (x, y)    # in the view, at its top-left corner
    window.activateWindow()
    view.setFocus()
    for _ in range(2):      # `.` until the crosshair is on the big lesion (the list's order aside)
        qtbot.keyClick(view, ".")
        if np.allclose(state.crosshair_ras, target):
            break
    np.testing.assert_allclose(state.crosshair_ras, target)
    assert state.views["axial"].zoom == 6.0
    x, y = pixel_of(window, "axial", target)
    assert abs(x - view.width() / 2) < 2 and abs(y - view.height() / 2) < 2, (x, y)
    view.repaint()
    xi, yi = int(round(x)), int(round(y))
    pixels = grab(view)[yi - 2:yi + 3, xi - 2:xi + 3].reshape(-1, 3).astype(int)
    assert (np.abs(pixels - np.array(segment.color)).sum(axis=1) < 120).any(), "the lesion centred"
