"""The *Worklist* panel: each case with its status, done or not (marked by hand too) and who has
it open, the others' work seen within the watch's 3 s; a row double-clicked or Enter opens its
case. The worklist was seen only one case at a time, in the status line."""

from __future__ import annotations

import socket

from editor_helpers import shortcut
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from worklist_cases import worklist_folder

from neuroview.dataset.worklist import Worklist

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _on(qtbot, window, case_id):
    qtbot.waitUntil(lambda: window.training_actions.worklist_id == case_id and not window.runner.busy
                    and window.editor.session is not None, timeout=30000)


def test_the_panel_lists_the_cases_and_follows_everyone_s_work(qtbot, window, tmp_path):
    dock = window.findChild(QDockWidget, "Worklist")
    assert dock is not None and not dock.isVisible()                 # no worklist yet
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    window.training_actions.open_worklist(cases)
    _on(qtbot, window, "a_case.nii.gz")
    panel = window.training_actions.panel
    assert dock.isVisible() and not dock.visibleRegion().isEmpty()
    assert panel.rows() == [("1", "a_case.nii.gz", "new", "", "this window"),
                            ("2", "b_case.nii.gz", "new", "", ""),
                            ("3", "c_case.nii.gz", "new", "", "")]
    assert panel.summary.text() == "0 of 3 done"

    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)              # Mark done
    assert panel.rows()[0] == ("1", "a_case.nii.gz", "new", "done", "this window")
    assert panel.summary.text() == "1 of 3 done: 1 marked done"

    ben = Worklist.open(cases, user="ben")                             # another annotator
    ben.set_status("c_case.nii.gz", "in_training_set", training_case="nv_0001")
    ben.open_case("b_case.nii.gz")
    qtbot.waitUntil(lambda: panel.rows()[1][4] == "ben", timeout=10000)   # the 3 s watch
    assert panel.table.item(1, 4).toolTip() == f"ben (a window on {socket.gethostname()})"
    assert panel.rows()[2] == ("3", "c_case.nii.gz", "in the training set (nv_0001)", "done", "")
    assert panel.summary.text() == "2 of 3 done: 1 in the training set, 1 marked done"

    table = panel.table                                                # double-click b's row
    cell = table.visualItemRect(table.item(1, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=cell)   # press, release, then the
    qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=cell)  # double-click, as a mouse sends
    _on(qtbot, window, "b_case.nii.gz")
    assert window.controller.volume.source_path == str(cases / "b_case.nii.gz")
    assert panel.rows()[1] == ("2", "b_case.nii.gz", "new", "", "this window, ben")
    assert table.item(1, 1).font().bold() and not table.item(0, 1).font().bold()
    assert "ben" in window.notice_bar.text and "open too" in window.notice_bar.text

    from neuroview.ui.help_menu import shortcut_rows

    assert ("Worklist panel", "Open the selected case (asks about unsaved edits first)",
            "Enter, double-click") in shortcut_rows(window.menuBar())     # Help lists the key
    table.setFocus()                                                   # Enter on a's row
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key_Return)
    _on(qtbot, window, "a_case.nii.gz")
    assert panel.rows()[0][4] == "this window" and panel.rows()[1][4] == "ben"


def test_the_case_on_screen_is_scrolled_into_the_list(qtbot, window, tmp_path):
    """In a list longer than the panel the row of the case opened is scrolled into view (the case
    on screen was below the panel's edge in the walk)."""
    cases = worklist_folder(tmp_path, [f"case_{n:02d}" for n in range(12)])
    window.training_actions.open_worklist(cases, case_id="case_11.nii.gz")
    _on(qtbot, window, "case_11.nii.gz")
    table = window.training_actions.panel.table
    qtbot.waitUntil(lambda: table.viewport().rect().contains(
        table.visualItemRect(table.item(11, 1))), timeout=5000)
    assert table.viewport().height() < 12 * table.rowHeight(0)      # (the list is longer)


class _ShortScreen:
    def availableGeometry(self):
        from PySide6.QtCore import QRect

        return QRect(0, 0, 960, 540)   # 1920x1080 at 200 %


def test_the_window_with_the_panel_still_fits_a_screen_540_pixels_high(qtbot, monkeypatch, tmp_path):
    """The panel tabbed with the Measurements list: its first, taller layout held the window 555
    pixels tall, past the screen (as ``test_short_screen`` checks without a worklist)."""
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "screen", lambda self: _ShortScreen())
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.resize(min(window.width(), 960), 500)
    window.show()
    qtbot.waitExposed(window)
    window.training_actions.open_worklist(worklist_folder(tmp_path, ("a_case", "b_case")))
    _on(qtbot, window, "a_case.nii.gz")
    dock = window.findChild(QDockWidget, "Worklist")
    assert dock.isVisible() and window.tabifiedDockWidgets(dock)
    qtbot.waitUntil(lambda: window.height() <= 500, timeout=5000)
    assert window.minimumSizeHint().height() <= 500
    assert window.statusBar().geometry().bottom() < window.height()


def test_claims_name_the_readers_and_next_case_says_whose_case_it_passed(qtbot, window, tmp_path):
    """The window's claim names the reader it knows (*Save to PACS*, *Make worklist*); another
    window's reader is named in the panel and the status line (logins only, before)."""
    import json

    from neuroview.app.reader_name import remember_reader

    remember_reader("Smith^Ann")
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    ben = Worklist.open(cases, user="ben")
    ben.reader = "Jones^Ben"
    ben.open_case("b_case.nii.gz")
    window.training_actions.open_worklist(cases)
    _on(qtbot, window, "a_case.nii.gz")
    claims = json.loads((cases / ".neuroview-worklist.json").read_text())["open_by"]
    assert sorted((c["reader"], c["case"]) for c in claims.values()) == \
        [("Jones^Ben", "b_case.nii.gz"), ("Smith^Ann", "a_case.nii.gz")]
    panel = window.training_actions.panel
    assert [row[4] for row in panel.rows()] == ["this window", "Ben Jones", ""]
    shortcut(qtbot, window, Qt.Key_N, Qt.ControlModifier)
    _on(qtbot, window, "c_case.nii.gz")
    assert window.statusBar().currentMessage() == (
        "Worklist case 3 of 3 (c_case.nii.gz, new) opened: 0 of 3 done; Ben Jones has "
        "b_case.nii.gz open; Next case passed over b_case.nii.gz (open in another window).")
    assert ben.holders("c_case.nii.gz") == {}
    ben.refresh()
    assert list(ben.holders("c_case.nii.gz").values())[0].startswith("Ann Smith (a window of ")
