"""AI > Models beside two cards whose lesion-wise figures were counted with different detection
rules (the any-overlap rule of cards before session 33, which name none, and MSSEG-2016's): the
compare view names each card's rule, puts no difference beside those figures, says why in the
line over the table, and Promote compares Dice alone. It set F1 0.90 against 0.60 as -0.300."""

from __future__ import annotations

import pytest
from train_data import install

from neuroview.ai.registry import Registry

torch = pytest.importorskip("torch")


def _lesionwise(f1, rule=None):
    summary = {"cases": 3, "dice": 0.8, "sensitivity": f1, "lesions": 10, "found": round(10 * f1),
               "false_positives_per_case": 0.3, "f1": f1,
               "by_size": {"<5mm": {"found": 1, "lesions": 2, "sensitivity": 0.5}}, "per_case": {}}
    return {"held_out_lesionwise": {**summary, "lesion_rule": rule} if rule else summary}


def test_cards_of_two_rules_compare_on_dice_only(qtbot, window, tmp_path):
    install(tmp_path, "blobs", "1.0.0", 0.80, metrics=_lesionwise(0.9))
    install(tmp_path, "blobs", "1.1.0", 0.85, metrics=_lesionwise(0.6, "msseg2016"))
    Registry().promote("blobs@1.0.0", force=True)
    dialog = window.model_actions.open_models_dialog("blobs@1.0.0", "blobs@1.1.0")
    qtbot.waitExposed(dialog)
    table = dialog.compare_table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() if table.item(r, c) else ""
                                      for c in (1, 2, 3)] for r in range(table.rowCount())}
    assert rows["lesion rule"] == ["any-overlap", "MSSEG-2016", ""]
    assert rows["F1 lesion-wise"] == ["0.900", "0.600", "not comparable"]
    assert rows["found <5mm"][2] == "not comparable"
    assert rows["Dice lesion"] == ["0.8000", "0.8500", "+0.0500"]
    assert ("The two cards' lesion-wise figures measured with different rules (any-overlap / "
            "MSSEG-2016): compared on Dice only.") in dialog.compare_label.text()
    dialog.grab().save(str(tmp_path / "compare-rules.png"))
    assert dialog.promote("blobs@1.1.0")                  # the higher Dice, no question asked
    assert Registry().default_ref() == "blobs@1.1.0"
    assert dialog.status_label.text() == (
        "blobs@1.1.0 is the default for lesion (was blobs@1.0.0); lesion-wise figures measured "
        "with different rules (MSSEG-2016 / any-overlap): compared on Dice only")


def test_the_training_notice_sets_no_base_figures_of_another_rule_beside_the_new_ones():
    from neuroview.ui.actions_models import _lesionwise_text

    new = _lesionwise(0.6, "msseg2016")["held_out_lesionwise"]
    same = _lesionwise(0.5, "msseg2016")["held_out_lesionwise"]
    old = _lesionwise(0.9)["held_out_lesionwise"]
    assert _lesionwise_text(new, same) == " Lesions found 6/10, F1 0.60 (base 5/10, F1 0.50)."
    assert _lesionwise_text(new, old) == " Lesions found 6/10, F1 0.60."
