"""AI > Models...: every greyed-out button says why on hover. With two models selected *Promote*
was disabled with no word (the walk selected two to compare, then wanted to promote one)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from train_data import install

from neuroview.ai.registry import Registry
from neuroview.ui.models_dialog import ModelsDialog

pytest.importorskip("torch")


def hover_tip(qtbot, button) -> str:
    """The tooltip shown with the pointer resting on ``button`` (enabled or not)."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=10000)   # it hides on a timer
    centre = button.rect().center()
    QApplication.sendEvent(button, QHelpEvent(QEvent.ToolTip, centre, button.mapToGlobal(centre)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def greyed(qtbot, dialog) -> dict[str, str]:
    """Each greyed-out button's text and the tip its hover shows."""
    buttons = (dialog.promote_button, dialog.rollback_button, dialog.remove_button, dialog.measure_button)
    return {b.text(): hover_tip(qtbot, b) for b in buttons if not b.isEnabled()}


def test_each_greyed_out_button_says_why(qtbot, tmp_path):
    registry = Registry()
    install(tmp_path, "blobs", "1.0.0", 0.70)
    install(tmp_path, "blobs", "1.1.0", 0.90, parent="blobs@1.0.0")
    dialog = ModelsDialog(registry)   # the bundled default, none before it
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    dialog.select_refs("blobs@1.0.0", "blobs@1.1.0")   # two, as to compare them
    tips = greyed(qtbot, dialog)
    assert set(tips) == {"Promote to default", "Remove...", "Roll back"}   # Measure is for two
    assert tips["Promote to default"] == "Select one model in the table to promote it (2 are selected)"
    assert tips["Remove..."] == "Select one model in the table to remove it (2 are selected)"
    assert tips["Roll back"] == "No earlier default for lesion to roll back to: Promote sets one"

    registry.promote("blobs@1.0.0", force=True)
    dialog.refresh()
    dialog.select_refs("blobs@1.0.0")   # the default already
    tips = greyed(qtbot, dialog)
    assert tips["Promote to default"] == "blobs@1.0.0 is already the default for lesion"
    assert tips["Measure on a dataset..."].startswith("Select two models (Ctrl+click) in the table")
    assert "Remove..." not in tips

    dialog.select_refs("blobs@1.1.0")
    assert dialog.promote_button.isEnabled() and hover_tip(qtbot, dialog.promote_button) == ""
    dialog.promote("blobs@1.1.0")   # better on the same split: promoted without a question
    assert dialog.rollback_button.isEnabled() and "Roll back" not in greyed(qtbot, dialog)

    bundled = next(e.ref for e in registry.entries() if e.bundled)
    dialog.select_refs(bundled)
    assert greyed(qtbot, dialog)["Remove..."] == f"{bundled} is bundled with neuroview and cannot be removed"
