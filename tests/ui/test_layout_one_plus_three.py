"""*View > One large, three small* (Ctrl+4), the 1+3 layout of PACS viewers' MPR: the view clicked
last drawn large on the left over the window's height, the other three views stacked beside it
(there was none: a CT walk of session 40 looked for it). Its picture is the whole volume fitted,
as in the other layouts, and a click in a small view moves the crosshair as anywhere."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_image, pixel_of, shortcut, write_image
from PySide6.QtCore import QPoint, Qt


def places(window) -> dict[str, tuple[int, int, int, int]]:
    return {name: view.geometry().getRect() for name, view in window.views.items()
            if view.isVisible()}


def test_ctrl_4_draws_the_view_clicked_last_large_and_the_three_others_beside_it(
        qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    coronal = window.slice_views["coronal"]
    qtbot.mouseClick(coronal, Qt.LeftButton, pos=QPoint(coronal.width() // 2, coronal.height() // 2))
    shortcut(qtbot, window, Qt.Key_4, Qt.ControlModifier, target=coronal)
    qtbot.waitUntil(lambda: coronal.height() > window.slice_views["axial"].height() * 2, timeout=5000)
    assert window.layout_actions["one-plus-three"].isChecked()
    shown = places(window)
    assert set(shown) == {"axial", "sagittal", "coronal", "3d"}
    x, y, w, h = shown["coronal"]
    small = [shown[name] for name in ("axial", "sagittal", "3d")]   # in their usual order, top down
    assert [r[1] for r in small] == sorted(r[1] for r in small)
    for sx, _y, sw, sh in small:
        assert sx > x + w - 1 and abs(sw * 3 - w) <= 6 and sh < h / 2.5
    assert abs(sum(r[3] for r in small) - h) <= 3 * window.grid.spacing() + 3
    # the small axial view works as any: a click there moves the crosshair in every view
    axial = window.slice_views["axial"]
    target = INSIDE_CASE_RAS + [4.0, -2.0, 0.0]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(*map(round, pixel_of(window, "axial", target))))
    assert abs(window.controller.state.crosshair_ras[:2] - target[:2]).max() <= 2.0
    shortcut(qtbot, window, Qt.Key_1, Qt.ControlModifier)
    qtbot.waitUntil(lambda: abs(window.view3d.height() - coronal.height()) <= 2, timeout=5000)
