"""*Tools > Ellipse statistics* (F7): a drag on a slice view draws an ellipse (a circle in a
square) with its figures beside it, as a PACS viewer's elliptical ROI; the figures are those of
the image's voxels inside it (against numpy), listed in *Measurements*. There was the rectangle
alone until session 47. Since session 48 it stays as a ruler or an angle does: Ctrl+Z takes back
the last one drawn (Ctrl+Y redoes it), Delete the one selected, and a right click on its outline
offers *Delete* (it had no undo, no Delete and no menu item; Esc took it off)."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, shortcut, write_image
from key_presses import type_key
from measure_drawing import first_item_chosen
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from neuroview.app.view_measure import format_value

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _orange(picture) -> np.ndarray:
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    return (r > 200) & (g > 100) & (g < 185) & (b < 110)


def _ellipse_tool(qtbot, window, tmp_path):
    """An image open, *Ellipse statistics* (F7) picked by its key: the image's volume and the
    axial view."""
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)   # picked on what shows
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(20, 20))   # the keys go to the views
    type_key(window, Qt.Key_F7)
    return volume, axial


def test_an_ellipse_drawn_reads_the_voxels_inside_it(qtbot, window, tmp_path):
    volume, axial = _ellipse_tool(qtbot, window, tmp_path)
    assert window.controller.mode == "ellipse"
    a = QPoint(axial.width() // 2 - 50, axial.height() // 2 - 30)
    b = a + QPoint(100, 60)
    QTest.mousePress(axial, Qt.LeftButton, Qt.NoModifier, a)
    for t in np.linspace(0.25, 1.0, 4):
        QTest.mouseMove(axial, a + (b - a) * float(t))
    QTest.mouseRelease(axial, Qt.LeftButton, Qt.NoModifier, b)

    c = window.controller
    assert len(c.ellipses) == 1 and not c.rectangles
    box = c.ellipses[0]
    right, down, normal = c.state.axes("axial")
    ijk = np.argwhere(np.ones(volume.shape, bool))
    uvw = volume.ijk_to_ras_points(ijk) @ np.stack([right, down, normal]).T
    ends = np.stack([box.start_ras, box.end_ras]) @ np.stack([right, down, normal]).T
    centre, radii = ends[:, :2].mean(axis=0), np.abs(ends[1, :2] - ends[0, :2]) / 2
    inside = ((((uvw[:, :2] - centre) / radii) ** 2).sum(axis=1) <= 1) & (
        np.abs(uvw[:, 2] - ends[0, 2]) <= 1.0)   # the slice's 2 mm
    values = volume.array[tuple(ijk[inside].T)].astype(float)
    assert box.stats.voxels == inside.sum() > 50
    line = window.measurements.item(window.measurements.count() - 1).text()
    assert line.startswith(f"Ellipse (axial): {inside.sum()} voxels, area ")
    assert (f"mean {format_value(values.mean())}, std {format_value(values.std())}, "
            f"min {format_value(values.min())}, max {format_value(values.max())}") in line

    orange = _orange(grab(axial))
    mid = (a + b) / 2
    assert orange[mid.y() - 2:mid.y() + 3, a.x() - 2:a.x() + 3].any()   # its left end
    assert orange[a.y() - 2:a.y() + 3, mid.x() - 2:mid.x() + 3].any()   # its top
    assert orange[a.y() - 5:a.y() + 6, a.x() - 5:a.x() + 6].any()   # the handle: it is selected
    assert not orange[a.y() - 2:a.y() + 3, a.x() + 9:a.x() + 15].any()   # no rectangle's edge
    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Escape)   # Esc leaves it, as it leaves a ruler
    assert c.ellipses == [box] and _orange(grab(axial))[mid.y() - 2:mid.y() + 3, a.x() - 2:a.x() + 3].any()


def _drag(view, a: QPoint, b: QPoint) -> None:
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, a)
    QTest.mouseMove(view, (a + b) / 2)
    QTest.mouseMove(view, b)
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, b)


def _shown(view, a: QPoint, b: QPoint) -> bool:
    """An orange outline at the left end of the ellipse drawn from ``a`` to ``b``."""
    y = (a.y() + b.y()) // 2
    return bool(_orange(grab(view))[y - 2:y + 3, a.x() - 2:a.x() + 3].any())


def test_ctrl_z_delete_and_the_right_click_take_ellipses_off_as_rulers(qtbot, window, tmp_path):
    _, axial = _ellipse_tool(qtbot, window, tmp_path)
    c = window.controller
    w, h = axial.width() // 2, axial.height() // 2
    first = (QPoint(w - 90, h - 60), QPoint(w - 10, h))
    second = (QPoint(w + 10, h + 10), QPoint(w + 90, h + 70))
    _drag(axial, *first)
    _drag(axial, *second)
    assert len(c.ellipses) == 2 and _shown(axial, *first) and _shown(axial, *second)
    drawn = list(c.ellipses)

    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the last one drawn
    assert c.ellipses == drawn[:1] and _shown(axial, *first) and not _shown(axial, *second)
    assert window.measurements.item(window.measurements.count() - 1).text() == \
        f"Undone: ellipse drawn (axial, {drawn[1].value_text})"
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert c.ellipses == drawn and _shown(axial, *second)

    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Delete)   # the selected one: the newest, drawn (redone) last
    assert c.ellipses == drawn[:1] and not _shown(axial, *second)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # the delete undone
    assert c.ellipses == drawn

    # a right click on the first one's outline (its left end): Delete ellipse (its figures)
    at = QPoint(first[0].x(), (first[0].y() + first[1].y()) // 2)
    chosen = first_item_chosen(qtbot, window, axial, at)
    assert chosen == f"Delete ellipse ({drawn[0].value_text})"
    assert c.ellipses == drawn[1:] and not _shown(axial, *first) and _shown(axial, *second)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)
    assert c.ellipses == drawn and _shown(axial, *first)


def test_a_drag_of_a_selected_ellipses_corner_resizes_it_in_one_undo_step(qtbot, window, tmp_path):
    """As a ruler's end: the ellipse drawn is selected, a handle on each corner it was drawn
    from; a drag of one resizes it (its figures read anew), one Ctrl+Z puts it back."""
    _, axial = _ellipse_tool(qtbot, window, tmp_path)
    c = window.controller
    w, h = axial.width() // 2, axial.height() // 2
    a, b = QPoint(w - 60, h - 40), QPoint(w + 20, h + 20)
    _drag(axial, a, b)
    drawn = c.ellipses[0]
    assert c.selected is drawn
    far = QPoint(w + 70, h + 60)
    QTest.mousePress(axial, Qt.LeftButton, Qt.NoModifier, b + QPoint(2, 1))   # on its handle
    for t in np.linspace(0.2, 1.0, 5):
        QTest.mouseMove(axial, b + (far - b) * float(t))
    QTest.mouseRelease(axial, Qt.LeftButton, Qt.NoModifier, far)
    assert len(c.ellipses) == 1 and c.ellipses[0] is not drawn
    bigger = c.ellipses[0]
    assert bigger.stats.voxels > drawn.stats.voxels and _shown(axial, a, far)
    assert window.measurements.item(window.measurements.count() - 1).text() == \
        f"Ellipse (axial): {bigger.value_text} (moved)"
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)    # the whole drag
    assert c.ellipses == [drawn] and not _shown(axial, a, far)

    c.select(None)   # not selected: a press at that corner draws a new ellipse, as before
    _drag(axial, b + QPoint(2, 1), far)
    assert len(c.ellipses) == 2 and c.ellipses[0] is drawn
