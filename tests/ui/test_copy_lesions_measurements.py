"""The Lesions table and the Measurements list copy their numbers (Ctrl+C, right-click > Copy) as
tab-separated text, a table when pasted into a report or a spreadsheet: a radiologist could only
read them off the screen and type them again."""

from __future__ import annotations

from editor_helpers import shortcut
from lesion_lists import list_of_two
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def _pasted_rows(text):
    return [line.split("\t") for line in text.splitlines()]


def test_the_lesion_table_copies_as_shown(qtbot, window, tmp_path):
    volume, session, _segment, big, small, panel = list_of_two(qtbot, window, tmp_path)
    QApplication.clipboard().clear()
    assert Qt.ActionsContextMenu == panel.table.contextMenuPolicy()
    assert "Copy table" in [a.text() for a in panel.table.actions()]   # the right-click menu
    panel.table.setFocus()
    shortcut(qtbot, window, Qt.Key_C, Qt.ControlModifier, target=panel.table)   # Ctrl+C
    rows = _pasted_rows(QApplication.clipboard().text())
    assert rows[0] == ["#", "mL", "Diam. mm", "R/L", "A/P", "S/I", "Location"]
    voxel_ml = abs(float(__import__("numpy").linalg.det(volume.ijk_to_ras[:3, :3]))) / 1000
    assert [r[0] for r in rows[1:]] == ["1", "2"]                     # largest first, as listed
    assert [r[1] for r in rows[1:]] == [f"{big.sum() * voxel_ml:.3f}", f"{small.sum() * voxel_ml:.3f}"]
    assert rows[1][3] == panel.table.item(0, 3).text() and rows[1][3][0] in "RL"
    assert [r[6] for r in rows[1:]] == ["unknown", "unknown"]   # no brain segment to tell it by
    assert len(rows) == 3 and all(len(r) == 7 for r in rows)
    # the key reaching the table itself (its window not active: no shortcut): the table too, not
    # the one cell a list view's own Ctrl+C copies
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other, timeout=5000)
    QApplication.clipboard().clear()
    QApplication.sendEvent(panel.table, QKeyEvent(QEvent.KeyPress, Qt.Key_C, Qt.ControlModifier))
    assert _pasted_rows(QApplication.clipboard().text()) == rows


def test_measurements_copy_the_chosen_lines_or_all(qtbot, window, tmp_path):
    list_of_two(qtbot, window, tmp_path)
    window.segment_panel.stats_button.click()
    lines = window.measurements
    lines.add("Ruler (axial): 12.0 mm")
    qtbot.waitUntil(lambda: lines.count() == 2, timeout=5000)
    QApplication.clipboard().clear()
    lines.clearSelection()
    lines.copy_action.trigger()                                        # nothing chosen: every line
    text = QApplication.clipboard().text()
    assert text.splitlines() == [lines.item(0).text(), "Ruler (axial): 12.0 mm"]
    assert text.startswith("Segment 'lesion': ") and " mL" in text
    lines.item(1).setSelected(True)
    lines.copy_action.trigger()
    assert QApplication.clipboard().text() == "Ruler (axial): 12.0 mm\n"
