"""The status bar's readout after a layout change with the pointer still: it reads the voxel under
the pointer in the new layout (the view grew under it), or goes blank when no slice view is under
it (the 3D view took the place); it kept the voxel read before the change until the mouse moved."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, open_image, pixel_of, write_image
from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor
from PySide6.QtTest import QTest


def pointer_on_axial(qtbot, window, tmp_path):
    """Open an image and rest the pointer on the axial view (four-up), 6 mm right of and 4 mm
    in front of a point inside it; returns the readout text."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.controller.active_view = "axial"
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.width() > 100 and window.view3d.isVisible(), timeout=5000)
    pos = QPoint(*map(int, pixel_of(window, "axial", INSIDE_CASE_RAS + [6.0, 4.0, 0])))
    QCursor.setPos(axial.mapToGlobal(pos))
    QTest.mouseMove(axial, pos)                     # the pointer's move reaches the view
    qtbot.waitUntil(lambda: window.readout.text().startswith("ijk"), timeout=5000)
    return window.readout.text()


def under_the_pointer(window, plane) -> str:
    """What the readout says for the screen pixel under the pointer, from the view's geometry
    (independent of the view's own hover bookkeeping)."""
    view = window.slice_views[plane]
    local = view.mapFromGlobal(QCursor.pos())
    geometry = window.controller.state.geometry(plane, view.width(), view.height())
    return window.controller.readout(geometry.pixel_to_ras(local.x() + 0.5, local.y() + 0.5))


def test_one_view_layout_reads_the_voxel_now_under_the_still_pointer(qtbot, window, tmp_path):
    before = pointer_on_axial(qtbot, window, tmp_path)
    width = window.slice_views["axial"].width()
    window.layout_actions["single"].trigger()       # View > One view: the axial view grows
    qtbot.waitUntil(lambda: window.slice_views["axial"].width() > 1.5 * width, timeout=5000)
    now = under_the_pointer(window, "axial")
    assert now.startswith("ijk") and now != before
    assert window.readout.text() == now
    window.layout_actions["four-up"].trigger()      # and back: the view shrinks under the pointer
    qtbot.waitUntil(lambda: window.view3d.isVisible(), timeout=5000)
    assert window.readout.text() == under_the_pointer(window, "axial") == before


def test_the_3d_view_maximised_under_the_pointer_blanks_the_readout(qtbot, window, tmp_path):
    assert pointer_on_axial(qtbot, window, tmp_path)
    window.controller.toggle_maximised("3d")        # the 3D layout: no slice view on screen
    qtbot.waitUntil(lambda: not window.slice_views["axial"].isVisible(), timeout=5000)
    assert window.view3d.geometry().contains(window.view3d.parentWidget().mapFromGlobal(QCursor.pos()))
    assert window.readout.text() == ""
    window.controller.toggle_maximised("3d")        # back to four-up: the axial view, read again
    qtbot.waitUntil(lambda: window.slice_views["axial"].isVisible(), timeout=5000)
    assert window.readout.text() == under_the_pointer(window, "axial") != ""
