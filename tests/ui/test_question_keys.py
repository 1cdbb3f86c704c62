"""The *Unsaved edits* question answers from the keyboard: S saves, D discards, C cancels (Alt+
the letter too), as Enter (Save) and Esc (Cancel) did. Qt's own button texts carry no key on
Windows or without a desktop theme: an annotator moving on with Ctrl+N who wanted to drop the
edits had to press Tab, Tab, Space (until session 31)."""

from __future__ import annotations

import numpy as np
import shiboken6
from editor_helpers import shortcut, write_image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from unsaved_edits import loaded, paint_the_worklist_case

from neuroview.ui.actions_edit import EditActions

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

ASKING = EditActions.confirm_replace
"""The question itself (read at import: the tests' conftest answers it for the other window tests)."""


def press_when_asked(window, key, modifier=Qt.NoModifier) -> list[str]:
    """Type ``key`` into the question box as soon as it shows; returns [its text] once typed."""
    asked = []

    def press():
        box = window.edit_actions.quit_box
        if box is None or not box.isVisible():
            QTimer.singleShot(20, press)
            return
        asked.append(box.text())
        QTest.keyClick(box, key, modifier)   # (a key's answer is an animated click: 100 ms)

        def unanswered():   # the key did not answer it: Cancel, so that the test fails, not hangs
            if shiboken6.isValid(box) and box.isVisible():
                asked.append("the key did not answer")
                box.button(QMessageBox.Cancel).click()
        QTimer.singleShot(2000, unanswered)
    QTimer.singleShot(0, press)
    return asked


def test_d_discards_and_moves_on_to_the_next_case(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(EditActions, "confirm_replace", ASKING)
    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    second, _ = write_image(folder, name="b", affine_name="lps")
    paint_the_worklist_case(qtbot, window, folder, first)
    asked = press_when_asked(window, Qt.Key_D)
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)             # Next case
    assert len(asked) == 1 and asked[0].startswith("The labels of this image have edits")
    loaded(qtbot, window, second)                              # discarded: case b is on screen
    worklist = window.training_actions.worklist
    assert window.training_actions.worklist_id == "b.nii.gz"
    assert worklist.case("a.nii.gz").status == "new"           # discarded edits: not corrected
    assert not window.editor.session.labels.array.any()


def test_c_cancels_and_s_saves(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(EditActions, "confirm_replace", ASKING)
    folder = tmp_path / "worklist"
    folder.mkdir()
    first, _ = write_image(folder, name="a")
    write_image(folder, name="b", affine_name="lps")
    paint_the_worklist_case(qtbot, window, folder, first)
    painted = window.editor.session.labels.array.copy()
    asked = press_when_asked(window, Qt.Key_C)
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    assert len(asked) == 1
    qtbot.wait(200)
    assert window.controller.volume.source_path == str(first)   # cancelled: still case a
    assert np.array_equal(window.editor.session.labels.array, painted)
    saved_to = tmp_path / "a-labels.nii.gz"
    monkeypatch.setattr(window.edit_actions, "save_labels_dialog",
                        lambda: window.edit_actions.save_labels(saved_to) or True)
    asked = press_when_asked(window, Qt.Key_S)
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    assert len(asked) == 1
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == "b.nii.gz", timeout=30000)
    assert saved_to.exists()
