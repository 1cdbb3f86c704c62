"""In a dialog Tab goes from a table to the next button (the arrows move in the table), as in the
side panels (test_panel_tab_leaves_tables.py): in *AI > Models...* Tab stepped through each cell
of the models table (7 a model) before *Add...* until session 42; the readers, rank and
follow-up tables alike."""

from __future__ import annotations

from editor_helpers import activate
from key_presses import type_key
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from neuroview.ai.registry import Registry
from neuroview.ui.followup_table import lesion_table
from neuroview.ui.models_dialog import ModelsDialog
from neuroview.ui.readers_tables import read_only_table


def test_tab_leaves_the_models_table(qtbot):
    dialog = ModelsDialog(Registry())   # the bundled models: rows to step through
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    table = dialog.table
    assert table.rowCount() >= 1
    table.setFocus(Qt.TabFocusReason)
    table.setCurrentCell(0, 0)
    assert QApplication.focusWidget() is table
    type_key(dialog, Qt.Key_Tab)
    assert QApplication.focusWidget() is not table, "Tab stayed in the table"
    assert dialog.isAncestorOf(QApplication.focusWidget())
    assert not read_only_table(["Reader", "Lesions"]).tabKeyNavigation()
    assert not lesion_table(4).tabKeyNavigation()
