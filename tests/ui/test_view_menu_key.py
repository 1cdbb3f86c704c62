"""The keyboard's Menu key and Shift+F10 open a view's right-click menu at the view's centre, the
3D view's too (look from A/P/L/R/S/I, volume rendering ...), as they open a context menu in
desktop programs; its items then answer to their letters. The menus opened only with a right
click until session 42: a keyboard-only user had no *Look from* at all."""

from __future__ import annotations

from editor_helpers import open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from neuroview.ui.mnemonics import mnemonic


def _menu_from_key(qtbot, window, key, modifier=Qt.NoModifier):
    old = getattr(window, "view_menu", None)
    type_key(window, key, modifier)
    qtbot.waitUntil(lambda: getattr(window, "view_menu", old) is not old and window.view_menu.isVisible(),
                    timeout=10000)
    return window.view_menu


def test_menu_key_and_shift_f10_open_the_views_menu(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    window.view3d.setFocus(Qt.OtherFocusReason)
    assert QApplication.focusWidget() is window.view3d
    menu = _menu_from_key(qtbot, window, Qt.Key_F10, Qt.ShiftModifier)
    assert "Look from" in [a.text().replace("&", "") for a in menu.actions()]
    QTest.keyClick(menu, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=10000)

    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    menu = _menu_from_key(qtbot, window, Qt.Key_Menu)
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == "This view alone (double-click)" and "Reset views" in texts
    centre = axial.mapToGlobal(axial.rect().center())
    assert menu.geometry().contains(centre) or menu.pos() == centre, (menu.geometry(), centre)
    alone = menu.actions()[0]
    QTest.keyClick(menu, mnemonic(alone.text()))        # its letter picks it
    qtbot.waitUntil(lambda: window.controller.state.maximised == "axial", timeout=10000)
