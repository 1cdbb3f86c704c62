"""A question in the notice bar over the views (restore the edits of an earlier session?, load the
labels saved for this case?) answers from the keyboard: each button has an underlined letter,
Alt+letter presses it, none of them a menu's Alt+letter. The buttons take the focus only when
clicked (key_focus.py) and neither Tab (the views) nor F6 (the side panels) reaches them: until
session 42 a keyboard-only user could not answer *Restore* / *Discard* at all."""

from __future__ import annotations

from editor_helpers import open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from neuroview.ui.mnemonics import menu_bar_letters, mnemonic

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_alt_letter_presses_a_notice_button_from_a_view(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    answers = []
    window.notices.ask("This image has edits from an earlier session. Restore them?",
                       [("Restore", lambda: answers.append("restore")),
                        ("Discard", lambda: answers.append("discard"))], question_id="restore")
    bar = window.notice_bar
    qtbot.waitUntil(bar.isVisible, timeout=10000)
    letters = [mnemonic(bar.buttons[label].text()) for label in ("Restore", "Discard")]
    assert all(letters) and len(set(letters)) == 2, letters
    assert not set(letters) & menu_bar_letters(window)   # Alt+F still opens File
    assert QApplication.focusWidget() is axial
    type_key(window, getattr(Qt, f"Key_{letters[1].upper()}"), Qt.AltModifier)
    qtbot.waitUntil(lambda: answers == ["discard"], timeout=10000)
    assert not bar.asking("restore")
    window.notice_bar.show_message("Saved labels.nii.gz")   # news alone: its Dismiss
    qtbot.waitUntil(bar.isVisible, timeout=10000)
    dismiss = mnemonic(bar.buttons["Dismiss"].text())
    assert dismiss and dismiss not in menu_bar_letters(window)
    type_key(window, getattr(Qt, f"Key_{dismiss.upper()}"), Qt.AltModifier)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=10000)


def test_a_label_with_an_ampersand_shows_it(qtbot, window):
    window.notice_bar.show_message("Two ways", [("Save & close", lambda: None), ("Skip", lambda: None)])
    button = window.notice_bar.buttons["Save & close"]
    assert button.text().replace("&&", "").count("&") == 1 and "&&" in button.text()


QUESTIONS = (("Restore", "Discard"), ("Edit here", "Dismiss"), ("Read again", "Dismiss"),
             ("Load labels", "Dismiss"), ("Replace", "Keep mine"), ("Replace", "Cancel"),
             ("Load anyway", "Cancel"), ("Dismiss",))
"""The buttons the window's questions and notes show (actions_open, actions_labels, ...)."""


def test_the_error_bars_dismiss_has_its_own_letter(qtbot, window, tmp_path):
    """The red error bar's *Dismiss* had no letter; it has one now that no menu and no button of
    the notice bar shown with it takes (both bars show at once, stacked), for every question."""
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(60, 60))
    window.show_error(f"{tmp_path / 'broken.nii.gz'}: not a NIfTI file")
    error = window.message_bar
    qtbot.waitUntil(error.isVisible, timeout=10000)
    dismiss = error.findChild(QPushButton)
    letter = mnemonic(dismiss.text())
    assert letter and letter not in menu_bar_letters(window), dismiss.text()
    for labels in QUESTIONS:
        window.notices.ask("A question", [(label, lambda: None) for label in labels], question_id="q")
        letters = [mnemonic(window.notice_bar.buttons[label].text()) for label in labels]
        assert all(letters) and len(set(letters)) == len(letters), (labels, letters)
        assert not set(letters) & (menu_bar_letters(window) | {letter}), (labels, letters, letter)
    type_key(window, getattr(Qt, f"Key_{letter.upper()}"), Qt.AltModifier)
    qtbot.waitUntil(lambda: not error.isVisible(), timeout=10000)
    assert window.notice_bar.asking("q")   # the question shown with it stays
