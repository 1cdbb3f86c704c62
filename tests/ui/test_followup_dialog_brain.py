"""File > Open follow-up...: ticking "Images are skull-stripped" (brain masks by threshold)
greys out "Extract the brain (deepbet)", which it overrides; both stood ticked, and which one
the comparison would use was not said (s26 walk)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from neuroview.ui.followup_open import OpenFollowupDialog


def tick(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))


def test_skull_stripped_greys_out_brain_extraction(qtbot):
    dialog = OpenFollowupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.extract_brain.isEnabled() and dialog.extract_brain.isChecked()
    tick(qtbot, dialog.brain_threshold)
    assert dialog.brain_threshold.isChecked()
    assert not dialog.extract_brain.isEnabled()
    assert dialog.options()["brain_threshold"] and not dialog.options()["extract_brain"]
    tick(qtbot, dialog.brain_threshold)
    assert dialog.extract_brain.isEnabled() and dialog.extract_brain.isChecked()
    assert dialog.options()["extract_brain"]
