"""The statistics rectangle (F4, a drag on a slice view) stays on the view with its figures after
the mouse is released, as in ITK-SNAP and Slicer, until the next rectangle, Esc or a slice change."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, write_image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def _drag(view, a: QPoint, b: QPoint) -> None:
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, a)
    for t in np.linspace(0.2, 1.0, 5):
        QTest.mouseMove(view, a + (b - a) * float(t))
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, b)


def _orange(picture) -> np.ndarray:
    """The rectangle's orange (255, 140, 0), also half over grey: not the yellow crosshair."""
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    return (r > 200) & (g > 100) & (g < 185) & (b < 110)


def test_the_rectangle_and_its_figures_stay_until_esc_or_a_slice_change(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    window.mode_actions["rectangle"].trigger()
    axial = window.slice_views["axial"]
    a = QPoint(axial.width() // 2 - 40, axial.height() // 2 - 30)
    b = a + QPoint(60, 50)
    _drag(axial, a, b)
    kept = grab(axial)
    assert _orange(kept)[a.y():b.y() + 1, a.x() - 1:a.x() + 2].sum() >= 40   # its left side
    assert _orange(kept)[b.y() - 1:b.y() + 2, a.x():b.x() + 1].sum() >= 40   # its bottom side

    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Escape)
    gone = grab(axial)
    assert not _orange(gone).any()
    changed = np.argwhere(np.abs(kept.astype(int) - gone).max(axis=2) > 0)   # (y, x)
    beside = ((changed[:, 1] < a.x() - 3) | (changed[:, 1] > b.x() + 3)
              | (changed[:, 0] < a.y() - 3) | (changed[:, 0] > b.y() + 3))
    assert beside.sum() > 1000                 # the figures, on a dark box beside the rectangle

    _drag(axial, a, b)
    assert _orange(grab(axial)).sum() >= 200
    QTest.keyClick(axial, Qt.Key_Up)                       # the next slice: the rectangle goes
    assert not _orange(grab(axial)).any()
    QTest.keyClick(axial, Qt.Key_Down)                     # and does not come back
    assert not _orange(grab(axial)).any()

    _drag(axial, a, b)
    _drag(axial, a + QPoint(-60, -80), a + QPoint(-30, -50))   # the next rectangle replaces it
    orange = _orange(grab(axial))
    assert orange[a.y() - 81:a.y() - 78, a.x() - 60:a.x() - 29].sum() >= 20   # the new top side
    assert not orange[a.y() + 25:b.y() + 2, a.x() - 1:a.x() + 2].any()      # the old one is gone
    assert not orange[b.y() - 1:b.y() + 2, a.x():b.x() + 1].any()
