"""File > Worklist > Watch worklist folder...: a lead follows the annotators' work without claiming
the case on screen; the editing tools are greyed out saying why, and nothing can be edited. Until
session 47 a lead who opened the worklist to look claimed the case, and the annotators' Next case
passed over it as open in the lead's window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from worklist_cases import worklist_folder

from neuroview.dataset.worklist import Worklist
from neuroview.ui.edit_controller import WATCHING_REASON

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_watching_claims_nothing_and_greys_the_tools(qtbot, window, tmp_path):
    cases = worklist_folder(tmp_path, ("a_case", "b_case", "c_case"))
    anna = Worklist.open(cases, user="anna")
    anna.open_case("a_case.nii.gz")                  # this process stands for anna's window
    state = cases / ".neuroview-worklist.json"
    before = state.read_bytes()
    actions = window.training_actions
    actions.open_worklist(cases, watch=True)
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy, timeout=30000)
    qtbot.waitUntil(lambda: "Watching the worklist" in window.notice_bar.text, timeout=10000)
    assert window.editor.case is None and window.editor.watching
    assert actions.worklist.current == "b_case.nii.gz" and not actions.worklist.holding
    buttons = window.edit_actions.panel.tool_buttons
    assert not buttons["paint"].isEnabled() and buttons["navigate"].isEnabled()
    assert WATCHING_REASON in buttons["paint"].toolTip()
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)       # Next case: still no claim
    qtbot.waitUntil(lambda: actions.worklist.current == "c_case.nii.gz" and not window.runner.busy,
                    timeout=30000)
    assert state.read_bytes() == before                         # no claim, nothing written
    rows = {panel_row: actions.panel.table.item(panel_row, 4).text()
            for panel_row in range(actions.panel.table.rowCount())}
    assert rows[0] == "anna" and rows[2] == "watching here", rows   # who holds each case
    assert actions.panel.table.item(2, 1).font().bold()         # the case on screen, as for anyone
    assert actions.mark_done_action.isEnabled()                 # a lead's marks: written, no claim
    actions.mark_done(True)
    assert Worklist.open(cases, user="ben").case("c_case.nii.gz").done
    assert actions.send_back_action.isEnabled() and not actions.mark_done_action.isEnabled()
    ben = Worklist.open(cases, user="ben")
    assert ben.resume().case_id == "b_case.nii.gz"              # the lead holds nothing
    assert list(ben.open_cases.values()) == ["anna"]
