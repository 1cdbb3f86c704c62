"""*File > Compare readers...* on a series whose lesions an adjudicator had begun to decide in a
window that was killed (SIGKILL) before *Apply*: the dialog takes the choices back ("2 choices not
yet applied were restored"), the *Taken* column shows them, the next choice is kept as it is made,
and *Apply* uses them all and forgets them. Until session 39 a kill lost every choice not applied."""

from __future__ import annotations

import json

import numpy as np
from PySide6.QtCore import Qt
from readers_helpers import find_and_compare, open_readers

from neuroview.app.pending_choices import CHOICES_FILE
from neuroview.dataset.adjudication import CONSENSUS, NOTHING
from tests.app.readers_series import choose_then_killed, three_lesions
from tests.durability import killed_after


def test_choices_a_killed_window_made_come_back(qtbot, window, tmp_path, mni_volume):
    folder, volume = three_lesions(tmp_path, mni_volume)
    killed_after(choose_then_killed, volume, None, ((1, "Jones^Bob"), (2, CONSENSUS)))
    dialog = find_and_compare(qtbot, window, open_readers(qtbot, window, folder))
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.LeftButton, pos=tab_bar.tabRect(1).center())
    assert dialog.progress.text() == "2 choices not yet applied were restored. 1 of 3 lesions to decide."
    taken = dialog.lesions.columnCount() - 1
    assert [dialog.lesions.item(r, taken).text() for r in range(3)] == ["Bob Jones", "consensus", "undecided"]
    assert not dialog.apply_button.isEnabled()
    workspace = window.editor.case.workspace
    dialog.lesions.selectRow(2)
    qtbot.mouseClick(dialog.take_buttons[NOTHING], Qt.LeftButton)   # kept as it is made
    kept = json.loads((workspace / CHOICES_FILE).read_text())
    assert [(x["lesion"], x["choice"]) for x in kept["lesions"]] == [(1, "Jones^Bob"), (2, "consensus"),
                                                                      (3, "none")]
    assert dialog.progress.text() == "All 3 lesions decided: Apply to label map."
    dialog.adjudicator_edit.clear()
    qtbot.keyClicks(dialog.adjudicator_edit, "Sam Senior")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    case = window.editor.case
    assert case.adjudication is not None, dialog.status.text()
    assert not (workspace / CHOICES_FILE).exists()
    lesion = case.labels.segments.by_name("lesion").value
    mask = case.labels.array == lesion
    comparison = dialog.comparison
    expected = {1: comparison.masks["Jones^Bob"], 2: comparison.consensus.mask, 3: np.zeros_like(mask)}
    for group in dialog.plan.groups:   # Bob's outline, the consensus, none
        assert np.array_equal(mask[group.box], expected[group.number][group.box])
    assert mask.sum() == sum(expected[g.number][g.box].sum() for g in dialog.plan.groups) > 0
