"""Each dialog opens with a control focused, so a keyboard user starts at once (as in Slicer and
ITK-SNAP): the search's first field, the list or table, the Close button. Shown alone, a dialog was
made active only by a window manager: under Xvfb without one, Open from PACS, Compare readers, Rank
cases, DICOM servers, PACS cache, Keyboard shortcuts and About had no focused control at all, the
keys still going to the views behind them. The focus is checked at once after the menu item (no
window manager's activation is waited for), then where the keys go once the dialog is active."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

FIRST = {
    ("File", "Open from PACS..."): lambda window, d: d.fields["PatientName"],
    ("File", "Compare readers..."): lambda window, d: d.find_button,
    ("File", "Rank cases to annotate..."): lambda window, d: next(   # its first field still empty
        (e for e in (d.dataset_edit, d.cases_edit) if not e.text().strip()), d.rank_button),
    ("Settings", "DICOM servers..."): lambda window, d: d.list,
    ("Settings", "PACS cache..."): lambda window, d: d.size_box,
    ("Help", "Keyboard shortcuts"): lambda window, d: d.table,
    ("Help", "About neuroview"): lambda window, d: d.close_button,
}
DIALOG = {
    "Open from PACS...": lambda window: window.pacs_actions.dialog,
    "Compare readers...": lambda window: window.pacs_actions.readers.dialog,
    "Rank cases to annotate...": lambda window: window.training_actions.rank_dialog,
    "DICOM servers...": lambda window: window.pacs_actions.servers_dialog,
    "PACS cache...": lambda window: window.pacs_actions.cache_dialog,
    "Keyboard shortcuts": lambda window: window.help_dialog,
    "About neuroview": lambda window: window.help_dialog,
}


def _item(window, menu: str, item: str):
    """The item named ``item`` in the menu bar's ``menu``, or in a submenu of it."""
    menus = [next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu)]
    actions = [a for m in menus for a in m.actions()]
    actions += [b for a in actions if a.menu() is not None for b in a.menu().actions()]
    return next(a for a in actions if a.text().replace("&", "").split("\t")[0] == item)


@pytest.mark.parametrize("where", sorted(FIRST), ids=lambda where: where[1].strip("."))
def test_a_dialog_opens_with_its_first_control_focused(qtbot, window, tmp_path, mni_volume, where):
    window.show()
    qtbot.waitExposed(window)
    if where[1] == "Compare readers...":   # it needs a DICOM case open
        from readers_helpers import study

        window.open_paths([study(tmp_path, mni_volume, huge=False)])
        qtbot.waitUntil(lambda: window.editor.case is not None and not window.runner.busy, timeout=30000)
    _item(window, *where).trigger()
    dialog = DIALOG[where[1]](window)
    assert dialog is not None and dialog.isVisible()
    first = FIRST[where](window, dialog)
    assert dialog.focusWidget() is first, type(dialog.focusWidget()).__name__
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=10000)
    dialog.close()
