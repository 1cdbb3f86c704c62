"""AI > Models, the compare view: two selected models' held-out figures side by side, its headers
naming the models, lesion-wise rows, a fine-tune beside its base on the same held-out cases, cards
that name no split, and a table readable at 800 px."""

from __future__ import annotations

import numpy as np
import pytest
from train_data import install, two_chains_at_800_px

from neuroview.ai.registry import Registry

torch = pytest.importorskip("torch")


def test_compare_view_has_lesion_wise_rows():
    from neuroview.ai.metrics import lesion_metrics, summarize
    from neuroview.ui.model_compare import compare_rows
    from tests.ai.model_cards import make_card

    truth = np.zeros((20, 20, 20), bool)
    truth[2:5, 2:5, 2:5] = truth[10:16, 10:16, 10:16] = True
    found_one = truth.copy()
    found_one[2:5] = False
    a = make_card(metrics={"held_out_lesionwise": summarize([lesion_metrics(found_one, truth, (1, 1, 1))])})
    b = make_card(metrics={"held_out_lesionwise": summarize([lesion_metrics(truth, truth, (1, 1, 1))])})
    rows = {what: (va, vb, diff) for what, va, vb, diff in compare_rows(a, b)}
    # differences in the unit the columns show: 50% -> 100% is +50 points (it read "+0.500")
    # with the count, as models compare prints it ("found 1/2"): it gave the share alone
    assert rows["lesions found"] == ("50% (1/2)", "100% (2/2)", "+50 points")
    assert rows["found <5mm"] == ("0% (0/1)", "100% (1/1)", "+100 points")
    assert rows["found >10mm"][:2] == ("-", "-")
    assert rows["false regions per case"] == ("0.00", "0.00", "+0.00")
    assert rows["F1 lesion-wise"] == ("0.667", "1.000", "+0.333")


def test_compare_table_headers_name_its_columns(qtbot, window, tmp_path):
    from PySide6.QtCore import Qt

    install(tmp_path, "blobs", "1.0.0", 0.70)
    install(tmp_path, "blobs", "1.1.0", 0.80, parent="blobs@1.0.0")
    window.model_actions.models_action.trigger()
    dialog = window.model_actions.models_dialog
    qtbot.waitExposed(dialog)
    compare = dialog.compare_table

    def headers():
        return [compare.horizontalHeaderItem(c).text() for c in range(compare.columnCount())]

    generic = ["Metric", "Model A", "Model B", "Difference (B - A)"]
    assert compare.rowCount() == 0 and headers() == generic   # was "1 2 3 4"

    def click(ref, modifier=Qt.NoModifier):
        row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == ref)
        rect = dialog.table.visualItemRect(dialog.table.item(row, 1))
        qtbot.mouseClick(dialog.table.viewport(), Qt.LeftButton, modifier, rect.center())

    click("blobs@1.0.0")
    click("blobs@1.1.0", Qt.ControlModifier)
    assert compare.rowCount() > 0
    assert headers() == ["Metric", "blobs@1.0.0", "blobs@1.1.0", "Difference (B - A)"]
    click("blobs@1.1.0")   # one model: nothing to compare, and no stale names over the empty table
    assert compare.rowCount() == 0 and headers() == generic


def test_cards_naming_no_split_are_not_said_to_be_on_different_splits(qtbot, window, tmp_path):
    """Two cards without a held-out split id (as the bundled recipe writes, and a copy of the
    bundled lesionseg added with models add): the dialog said 'measured on different held-out
    splits', which neither card says, while Promote compares them as measured alike."""
    install(tmp_path, "blobs", "1.0.0", 0.70, split=None)
    install(tmp_path, "blobs", "1.1.0", 0.80, split=None)
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    text = dialog.compare_label.text()
    assert "neither card names its held-out split" in text and "different held-out splits" not in text
    Registry().promote("blobs@1.1.0")   # the registry compares them: no 'not the same split' error
    assert Registry().default_ref() == "blobs@1.1.0"


def test_compare_shows_a_fine_tunes_base_on_the_same_held_out_cases(qtbot, window, tmp_path):
    """``neuroview train --dataset --base`` writes the base run on the fine-tune's own held-out
    cases (``metrics.base_held_out``): the compare view of the two did not show it, only the
    cards' figures on different splits, said not to be comparable."""
    from neuroview.ai.registry import Registry as Models
    from neuroview.ui.model_compare import same_cases_rows

    base_figures = {"ref": "blobs@1.0.0", "dice": {"lesion": 0.78},
                    "lesionwise": {"f1": 0.5, "found": 3, "lesions": 4}}
    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.81, split="y", parent="blobs@1.0.0",
            metrics={"base_held_out": base_figures,
                     "held_out_lesionwise": {"f1": 0.75, "found": 4, "lesions": 4}})
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    compare = dialog.compare_table
    cells = {compare.item(r, 0).text(): [compare.item(r, c).text() for c in (1, 2, 3)]
             for r in range(compare.rowCount())}
    assert compare.item(0, 0).text() == "Dice lesion, same cases"   # first, where one looks
    assert cells["Dice lesion, same cases"] == ["0.7800", "0.8100", "+0.0300"]
    assert cells["F1 lesion-wise, same cases"] == ["0.500", "0.750", "+0.250"]
    assert cells["lesions found, same cases"] == ["3/4", "4/4", "+1"]
    # the cards' own, still there, on other cases: no difference (it read "+0.3100")
    assert cells["Dice lesion, own cases"] == ["0.5000", "0.8100", "not comparable"]
    text = dialog.compare_label.text()
    assert "blobs@1.1.0 was trained from blobs@1.0.0" in text and "rows 'same cases'" in text
    # the fine-tune as A: the columns follow the models
    fine, base = (Models().get(ref).card for ref in ("blobs@1.1.0", "blobs@1.0.0"))
    assert same_cases_rows(fine, base)[0] == ("Dice lesion, same cases", "0.8100", "0.7800", "-0.0300")
    # another model than its base: no such rows
    assert same_cases_rows(fine, fine) == []
    dialog.select_refs("blobs@1.1.0")
    assert ("its base blobs@1.0.0 on the same held-out cases: Dice lesion 0.7800 (this model: "
            "lesion 0.8100)") in dialog.compare_label.text()


def test_compare_table_is_readable_at_800_px(qtbot, window, tmp_path):
    """Two models with long chains of parents, compared at 800 px: every column is in sight (no
    horizontal scrolling) and every value fits its cell, wrapped onto more lines where long, its
    whole text in a tooltip. Each column was as wide as its longest value: the parent chains
    pushed the difference column out of the 800 px dialog."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyle

    dialog = two_chains_at_800_px(qtbot, window, tmp_path)
    compare = dialog.compare_table
    assert compare.rowCount() >= 5
    room = compare.viewport().width()
    assert compare.horizontalScrollBar().maximum() == 0
    last = compare.columnCount() - 1
    assert compare.columnViewportPosition(last) + compare.columnWidth(last) <= room
    parent_row = next(r for r in range(compare.rowCount()) if compare.item(r, 0).text() == "parent")
    chain = compare.item(parent_row, 2).text()
    assert chain.startswith("chain@1.3.0 <- chain@1.2.0") and compare.item(parent_row, 2).toolTip() == chain
    metrics = QFontMetrics(compare.font())
    margin = compare.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, compare) + 1
    for r in range(compare.rowCount()):
        for c in range(compare.columnCount()):
            text = compare.item(r, c).text()
            width = compare.columnWidth(c) - 2 * margin   # as Qt's item views lay out a cell's text
            needed = metrics.boundingRect(0, 0, width, 10000, Qt.TextWordWrap, text)
            assert needed.width() <= width and needed.height() <= compare.rowHeight(r), (r, c, text)


def test_two_models_show_what_each_does_around_the_network(qtbot, window, tmp_path):
    """One selected model shows its card's steps before and after the network; two selected
    showed their figures only, so one that extracts the brain first stood beside one that reads
    the whole head with nothing to say so (a walk of session 39)."""
    install(tmp_path, "blobs", "1.0.0", 0.70)
    install(tmp_path, "blobs", "1.1.0", 0.80, preprocessing=[{"step": "brain_extraction", "margin_mm": 3}])
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    compare = dialog.compare_table
    rows = {compare.item(r, 0).text(): [compare.item(r, c).text() for c in (1, 2, 3)]
            for r in range(compare.rowCount())}
    a, b, diff = rows["around the network"]
    assert "brain extraction" not in a and a.startswith("after: ")
    assert b.startswith("before: brain extraction first: the network sees the head within 3 mm")
    assert diff == "differs"
    dialog.select_refs("blobs@1.0.0")   # the same words as the one model's lines
    assert "  " + b.split("\n")[0] not in dialog.compare_label.text()
    dialog.select_refs("blobs@1.1.0")
    assert "  " + b.split("\n")[0] in dialog.compare_label.text()
