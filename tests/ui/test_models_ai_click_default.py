"""The Models dialog marks the model AI click uses (the interactive task's default, the bundled
clickseg until another is promoted) in its Default column: its row's cell was empty, so the
dialog named a default for lesions only and none for AI click."""

from __future__ import annotations

from neuroview.ai.registry import Registry


def test_the_ai_click_default_is_marked_beside_the_lesion_default(qtbot, window):
    registry = Registry()
    lesion, clicks = registry.default_ref(), registry.default_ref("interactive")
    assert lesion and clicks and lesion != clicks
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    table = dialog.table
    marks = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
    assert marks[lesion] == "\u2605 default"
    assert marks[clicks] == "AI click default"
    assert [ref for ref, mark in marks.items() if mark] == sorted([lesion, clicks], key=list(marks).index)
    column = table.horizontalHeader()
    assert column.sectionSize(0) >= table.fontMetrics().horizontalAdvance("AI click default")
    dialog.close()
