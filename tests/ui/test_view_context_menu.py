"""A right click on a slice view opens its menu (3D Slicer's and ITK-SNAP's views have one; a
right click did nothing until session 41); a right drag still zooms and opens none."""

from __future__ import annotations

import nibabel as nib
import numpy as np
from editor_helpers import open_image, right_drag_up
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def _texts(menu):
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_right_click_opens_the_views_menu_and_a_right_drag_zooms(qtbot, window, tmp_path):
    data = np.arange(24 * 20 * 16, dtype=np.float32).reshape(24, 20, 16)
    nib.save(nib.Nifti1Image(data, np.diag([1.0, 1.0, 2.0, 1.0])), tmp_path / "small.nii.gz")
    open_image(qtbot, window, tmp_path / "small.nii.gz")
    view = window.slice_views["coronal"]
    centre = QPoint(view.width() // 2, view.height() // 2)

    QTest.mouseClick(view, Qt.RightButton, Qt.NoModifier, centre)
    qtbot.waitUntil(lambda: getattr(window, "view_menu", None) is not None
                    and window.view_menu.isVisible(), timeout=10000)
    menu = window.view_menu
    texts = _texts(menu)
    assert texts[0] == "This view alone (double-click)"
    assert "Reset views" in texts and "Export view as PNG..." in texts
    assert {"Navigate", "Window/level", "Ruler", "Rectangle statistics", "Angle"} <= set(texts)
    presets = next(a.menu() for a in menu.actions() if a.text().replace("&", "") == "Window preset")
    assert "Brain 80/40" in _texts(presets)
    assert window.controller.active_view == "coronal"   # Export view... takes this one
    menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: not window.slice_views["axial"].isVisible(), timeout=10000)
    assert view.isVisible() and not window.view3d.isVisible()
    menu.close()

    QTest.mouseClick(view, Qt.RightButton, Qt.NoModifier, centre)
    qtbot.waitUntil(lambda: window.view_menu is not menu and window.view_menu.isVisible(), timeout=10000)
    assert _texts(window.view_menu)[0] == "Back to the layout (double-click)"
    window.view_menu.close()
    shown = window.view_menu

    # a right drag zooms, as before, and opens no menu
    before = view.grab().toImage()
    right_drag_up(qtbot, view, centre)
    assert window.view_menu is shown and not shown.isVisible()
    assert view.grab().toImage() != before


def test_a_right_click_on_a_ruler_offers_to_delete_it(qtbot, window, tmp_path):
    """Slicer's menu on a markup offers *Delete*; a right click on a ruler offered none until
    session 48 (Delete needed it selected first, in Ruler mode)."""
    data = np.arange(24 * 20 * 16, dtype=np.float32).reshape(24, 20, 16)
    nib.save(nib.Nifti1Image(data, np.diag([1.0, 1.0, 2.0, 1.0])), tmp_path / "small.nii.gz")
    open_image(qtbot, window, tmp_path / "small.nii.gz")
    view, c = window.slice_views["axial"], window.controller
    qtbot.waitUntil(lambda: view.last is not None, timeout=10000)   # picked on what shows
    window.mode_actions["ruler"].trigger()
    QTest.mousePress(view, Qt.LeftButton, Qt.NoModifier, QPoint(40, 80))
    QTest.mouseMove(view, QPoint(160, 80))
    QTest.mouseRelease(view, Qt.LeftButton, Qt.NoModifier, QPoint(160, 80))
    ruler = c.rulers[0]
    window.mode_actions["navigate"].trigger()
    c.select(None)
    QTest.mouseClick(view, Qt.RightButton, Qt.NoModifier, QPoint(100, 81))   # on its line
    qtbot.waitUntil(lambda: getattr(window, "view_menu", None) is not None
                    and window.view_menu.isVisible(), timeout=10000)
    assert c.selected is ruler   # drawn with its handles while the menu shows
    texts = _texts(window.view_menu)
    assert texts[:2] == [f"Delete ruler ({ruler.length_mm:.1f} mm)", "This view alone (double-click)"]
    window.view_menu.actions()[0].trigger()
    window.view_menu.close()
    assert c.rulers == []
    QTest.mouseClick(view, Qt.RightButton, Qt.NoModifier, QPoint(100, 81))   # nothing there now
    qtbot.waitUntil(lambda: window.view_menu.isVisible(), timeout=10000)
    assert _texts(window.view_menu)[0] == "This view alone (double-click)"
    window.view_menu.close()
