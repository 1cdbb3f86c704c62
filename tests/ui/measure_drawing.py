"""Drawing measurements with the mouse and finding their colours on screen: helpers that
test_measure_export.py and the tests building on it share (test modules import helpers from a helper
module, never from another test module)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from render_cases import AFFINES, make_case

from neuroview.io.nifti import save_nifti

CYAN = np.array([0, 230, 255])     # ruler


def coloured(rgb, colour, tolerance=40):
    return np.all(np.abs(rgb.astype(int) - colour) <= tolerance, axis=2)


def open_image(qtbot, window, tmp_path):
    volume, _ = make_case(AFFINES["ras"])
    save_nifti(volume.array, volume.ijk_to_ras, tmp_path / "image.nii.gz")
    window.open_paths([tmp_path / "image.nii.gz"])
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=30000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)


def drag(qtbot, widget, a, b):
    qtbot.mousePress(widget, Qt.LeftButton, pos=QPoint(*a))
    qtbot.mouseMove(widget, QPoint(*b))
    qtbot.mouseRelease(widget, Qt.LeftButton, pos=QPoint(*b))


def draw_rectangle(qtbot, window) -> None:
    """The *Rectangle* tool picked and a box dragged on the axial view, 120 x 80 px from 60 px
    left of and 40 px above its centre."""
    window.mode_actions["rectangle"].trigger()
    axial = window.slice_views["axial"]
    x, y = axial.width() // 2 - 60, axial.height() // 2 - 40
    drag(qtbot, axial, (x, y), (x + 120, y + 80))


def first_item_chosen(qtbot, window, view, at) -> str:
    """A right click at ``at`` on ``view`` (over a measurement: *Delete ...* first): the first item
    of the view's menu chosen, the menu closed; that item's text (no ``&``)."""
    from PySide6.QtTest import QTest

    QTest.mouseClick(view, Qt.RightButton, Qt.NoModifier, at)
    qtbot.waitUntil(lambda: getattr(window, "view_menu", None) is not None
                    and window.view_menu.isVisible(), timeout=10000)
    first = window.view_menu.actions()[0]
    first.trigger()
    window.view_menu.close()
    return first.text().replace("&", "")
