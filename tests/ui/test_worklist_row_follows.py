"""The Worklist panel's row of the case on screen follows its state as it changes: segmented
(``proposed``), edited by hand (``corrected``, back once Ctrl+Z takes every edit back: in the
state file too, from the first edit), marked
done. It read "new" until the user left the case. A case only segmented is left ``proposed``
(leaving it recorded ``corrected``, the model's result alone counted as a correction)."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import INSIDE_CASE_RAS, shortcut, stroke
from PySide6.QtCore import Qt
from tiny_models import tiny_model
from worklist_cases import open_worklist, worklist_folder

from neuroview.dataset.worklist import Worklist

pytest.importorskip("neuroview.ai.segment")
pytest.importorskip("torch")


def _segment(qtbot, window, package) -> None:
    window.notice_bar.hide()
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)


def test_the_row_of_the_case_on_screen_follows_its_state(qtbot, window, tmp_path):
    package = tiny_model(tmp_path)
    cases = worklist_folder(tmp_path)
    open_worklist(qtbot, window, cases)
    actions = window.training_actions
    actions.watch.timer.stop()   # this window's own changes, not the 3 s watch, update the row
    panel, session = actions.panel, window.editor.session
    status = lambda: [row[2] for row in panel.rows()]   # noqa: E731
    assert status() == ["new", "new"]

    _segment(qtbot, window, package)
    assert status() == ["proposed", "new"] and panel.summary.text() == "0 of 2 done"

    session.segments.add("mine")
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS, INSIDE_CASE_RAS + np.array([6.0, 0, 0])])
    assert status() == ["corrected", "new"] and panel.summary.text() == "0 of 2 done; 1 corrected"
    assert panel.table.item(0, 2).toolTip().startswith("corrected: edited in this window")
    on_disk = lambda: Worklist.open(cases, user="dr.c").case("a_case.nii.gz").status   # noqa: E731
    assert on_disk() == "corrected"   # at the first edit: a kill now leaves it so
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)           # the stroke taken back
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)           # and the segment added
    assert status() == ["proposed", "new"] and on_disk() == "proposed"
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    shortcut(qtbot, window, Qt.Key_Y, Qt.ControlModifier)
    assert status() == ["corrected", "new"]

    shortcut(qtbot, window, Qt.Key_D, Qt.ControlModifier)           # Mark done
    assert [row[3] for row in panel.rows()] == ["done", ""]

    actions.next_case()   # (asks about the unsaved edits)
    qtbot.waitUntil(lambda: actions.worklist_id == "b_case.nii.gz" and not window.runner.busy,
                    timeout=30000)
    assert Worklist.open(cases, user="dr.c").case("a_case.nii.gz").status == "corrected"
    _segment(qtbot, window, package)                                 # b: segmented, not edited
    assert status() == ["corrected", "proposed"]
    actions.mark_done()
    actions.next_case()
    qtbot.waitUntil(lambda: "Every case of the worklist is done" in window.notice_bar.text, timeout=30000)
    assert Worklist.open(cases, user="dr.c").case("b_case.nii.gz").status == "proposed"
