"""Held-out Dice of different held-out cases are not set side by side as if comparable: in the
Models dialog's compare view each card's figures are named as measured on its own cases, with
no difference, and the cases are named; the Train dialog names the base card's figure as its
own cases' (the run's figures are this dataset's)."""

from __future__ import annotations

import pytest
from train_data import install

from neuroview.ai.registry import Registry

pytest.importorskip("torch")


def cells(dialog):
    compare = dialog.compare_table
    return {compare.item(r, 0).text(): [compare.item(r, c).text() for c in (1, 2, 3)]
            for r in range(compare.rowCount())}


def test_card_figures_of_other_held_out_cases_get_no_difference(qtbot, window, tmp_path):
    bundled = Registry().default_ref()   # the bundled recipe's card: synthetic heads, no split id
    install(tmp_path, "blobs", "1.0.0", 0.5, split="x")
    install(tmp_path, "blobs", "1.1.0", 0.81, split="y", parent="blobs@1.0.0",
            metrics={"base_held_out": {"ref": "blobs@1.0.0", "dice": {"lesion": 0.78}},
                     "held_out_description": "1 case of Dataset501_Lesions chosen by name hash"})
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    rows = cells(dialog)
    assert rows["Dice lesion, same cases"] == ["0.7800", "0.8100", "+0.0300"]   # one set: compared
    assert rows["Dice lesion, own cases"] == ["0.5000", "0.8100", "not comparable"]
    assert "Dice lesion" not in rows                      # was "0.5000 0.8100 +0.3100"
    assert ("blobs@1.0.0's own cases: split x; blobs@1.1.0's: 1 case of Dataset501_Lesions chosen "
            "by name hash.") in dialog.compare_label.text()

    dialog.select_refs(bundled, "blobs@1.1.0")
    rows = cells(dialog)
    assert rows["Dice lesion, own cases"][2] == "not comparable"
    assert f"{bundled}'s own cases: whole heads from seeds 20000-20011;" in dialog.compare_label.text()
    differences = [diff for what, (_, _, diff) in rows.items() if what.endswith(", own cases")]
    assert differences and set(differences) <= {"not comparable", ""}
    table = {dialog.table.item(r, 1).text(): dialog.table.item(r, 4).text()
             for r in range(dialog.table.rowCount())}
    assert table[bundled] == "whole heads from seeds 20000-20011"
    # a fine-tune's cases named beside its split id (the bare id, "y", named no dataset)
    assert table["blobs@1.1.0"] == "1 case of Dataset501_Lesions chosen by name hash (split y)"
    assert table["blobs@1.0.0"] == "x"                    # a card describing none: its id

    install(tmp_path, "blobs", "1.2.0", 0.9, split="y")  # one split: the difference stays
    dialog.refresh()
    dialog.select_refs("blobs@1.1.0", "blobs@1.2.0")
    assert cells(dialog)["Dice lesion"] == ["0.8100", "0.9000", "+0.0900"]


def test_the_train_dialog_names_the_base_cards_figure_as_its_own_cases(qtbot, window, tmp_path):
    install(tmp_path, "blobs", "1.0.0", 0.1234, split="another")
    dialog = window.model_actions.open_train_dialog()
    texts = [dialog.base_box.itemText(i) for i in range(dialog.base_box.count())]
    assert "blobs@1.0.0  (Dice lesion 0.123 on its own held-out cases)" in texts
    assert dialog.dice_label.text() == "Held-out Dice on this dataset's held-out cases: -"
