"""Every non-modal dialog closes by a button of its own and by Esc, the same way: Compare readers /
Adjudicate, Keyboard shortcuts, About and DICOM servers had only the title bar's X (Esc closed
them, unseen). The Ok / Cancel ones (PACS cache) close by Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

DIALOGS = {
    "readers": lambda window: _made(window, "neuroview.ui.readers_dialog", "ReadersDialog"),
    "shortcuts": lambda window: _made(window, "neuroview.ui.help_menu", "ShortcutsDialog"),
    "about": lambda window: _made(window, "neuroview.ui.help_menu", "AboutDialog"),
    "pacs": lambda window: _made(window, "neuroview.ui.pacs_dialog", "PacsDialog"),
    "servers": lambda window: _made(window, "neuroview.ui.pacs_servers", "ServersDialog"),
    "cache": lambda window: _made(window, "neuroview.ui.pacs_servers", "CacheDialog"),
    "rank": lambda window: window.training_actions.open_rank_dialog(),
    "models": lambda window: window.model_actions.open_models_dialog(),
    "train": lambda window: window.model_actions.open_train_dialog(),
}
CLOSING = {"readers": "Close", "shortcuts": "Close", "about": "Close", "pacs": "Close",
           "rank": "Close", "models": "Close", "train": "Close", "servers": "Close",
           "cache": "Cancel"}


def _made(window, module: str, name: str):
    import importlib

    return getattr(importlib.import_module(module), name)(window)


def _button(dialog, text: str) -> QAbstractButton:
    named = [b for b in dialog.findChildren(QAbstractButton)
             if b.text().replace("&", "") == text and b.isVisible()]
    texts = [b.text() for b in dialog.findChildren(QAbstractButton)]
    assert len(named) == 1, f"{type(dialog).__name__}: {texts}"
    return named[0]


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_a_non_modal_dialog_closes_by_its_button_and_by_esc(qtbot, window, name):
    dialog = DIALOGS[name](window)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(_button(dialog, CLOSING[name]), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
