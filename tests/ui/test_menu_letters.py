"""Every menu item has an underlined letter of its own, as in any desktop program, so a user with
the keyboard alone opens a menu with Alt+letter and picks an item with its letter.

Until session 42 only the menu titles had one (Alt+F opened *File*); no item of the 87 in the
menus had a letter, so a keyboard user walked *File*'s 23 items with the arrows."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from neuroview.ui.mnemonics import give_mnemonics, mnemonic
from neuroview.ui.view_context_menu import view_menu

ALNUM = set("abcdefghijklmnopqrstuvwxyz0123456789")


def letter_faults(menu, skip=()) -> list[str]:
    """Items of ``menu`` (and its sub-menus) with a letter another item has, or with none while
    a letter of its own text is free (a long menu can have more items than letters to go round:
    with *Skip case...* and *Send back...* *File* had 25 items, and *Rank cases to annotate...*
    none of the letters the others left, until its worklist items went into *File > Worklist*)."""
    items = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    counts = Counter(mnemonic(a.text()) for a in items)
    out = [f"{menu.title() or 'menu'} > {a.text()}" for a in items
           if counts[mnemonic(a.text())] > 1 and mnemonic(a.text())
           or not mnemonic(a.text()) and (set(a.text().lower().split("\t")[0]) - set(counts)) & ALNUM]
    for a in items:
        if a.menu() is not None and a.menu() not in skip:
            out += letter_faults(a.menu(), skip)
    return out


def test_every_item_of_every_menu_has_a_letter_of_its_own(qtbot, window):
    faults = letter_faults(window.menuBar(), skip=(window.recent_menu,))
    assert not faults, faults
    file_items = [a.text() for a in window.file_menu.actions() if a.text()]
    assert len(file_items) >= 15 and {"&Open file(s)...", "&Close", "&Quit"} <= set(file_items)
    lettered = [t for t in file_items if mnemonic(t)]
    assert lettered == file_items, file_items   # 23 of 25 until File > Worklist (session 42)
    for plane in ("axial", "3d"):   # the right-click menus, made of the window's actions too
        menu = view_menu(window, plane)
        assert not letter_faults(menu), letter_faults(menu)
        menu.deleteLater()


def test_alt_letter_then_the_items_letter_opens_it(qtbot, window):
    help_menu = window.help_menu
    shortcuts = next(a for a in help_menu.actions() if a.text().replace("&", "") == "Keyboard shortcuts")
    assert mnemonic(shortcuts.text()), shortcuts.text()
    title_key = mnemonic(help_menu.title()).upper()
    QTest.keyClick(window, getattr(Qt, f"Key_{title_key}"), Qt.AltModifier)
    qtbot.waitUntil(help_menu.isVisible, timeout=10000)
    QTest.keyClick(help_menu, mnemonic(shortcuts.text()))
    qtbot.waitUntil(lambda: window.help_dialog is not None and window.help_dialog.isVisible(),
                    timeout=10000)
    assert not help_menu.isVisible()
    table = window.help_dialog.table      # the list says how the letters work
    keys = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert "Alt+underlined letter" in keys


def test_letters_kept_escaped_ampersands_left_and_crowded_menus_filled(qtbot):
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    qtbot.addWidget(menu)
    texts = ["&Open", "Open folder", "Save && close", "Close", "Cut", "Copy", "Clear", "Co"]
    for text in texts:
        menu.addAction(text)
    give_mnemonics(menu)
    got = [a.text() for a in menu.actions()]
    assert got[0] == "&Open" and got[1] == "Open &folder"       # written letters kept
    assert got[2].replace("&&", "").count("&") == 1 and "&&" in got[2]
    letters = [mnemonic(t) for t in got]
    assert "" not in letters and len(set(letters)) == len(letters), got  # first come took C
    give_mnemonics(menu)
    assert [a.text() for a in menu.actions()] == got              # once given, kept


def test_a_key_written_after_a_tab_is_not_a_letter(qtbot):
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    qtbot.addWidget(menu)
    for text in ("Mark lesion 3 wrong\tDel", "Mo\tCtrl+Z", "M\tCtrl+Y"):
        menu.addAction(text)
    give_mnemonics(menu)
    assert [a.text() for a in menu.actions()] == ["Mark &lesion 3 wrong\tDel", "M&o\tCtrl+Z", "&M\tCtrl+Y"]
