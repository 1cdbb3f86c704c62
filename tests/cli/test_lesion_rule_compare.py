"""Cards whose lesion-wise figures were counted with different detection rules (the any-overlap
rule of cards written before session 33, which name none, and MSSEG-2016's) are never compared
on those figures: ``models compare`` says so in one line and ``models promote`` compares Dice
alone. Promotion compared the old card's F1 0.90 (any-overlap) with the new one's 0.60
(MSSEG-2016, a stricter count) and refused a model with the higher Dice."""

from __future__ import annotations

import pytest

from tests.ai.model_cards import make_card

torch = pytest.importorskip("torch")

NOTE = "lesion-wise figures measured with different rules ({}): compared on Dice only"


def _summary(f1, dice, rule=None):
    summary = {"cases": 3, "dice": dice, "sensitivity": f1, "lesions": 10, "found": round(10 * f1),
               "false_positives_per_case": 0.3, "f1": f1, "by_size": {}, "per_case": {}}
    return {**summary, "lesion_rule": rule} if rule else summary


def _install(tmp_path, version, f1, dice, rule=None):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from neuroview.ai.registry import Registry

    card = make_card(version=version, metrics={
        "held_out_dice": {"lesion": dice}, "held_out_split": "s1", "held_out_cases": 3,
        "held_out_lesionwise": _summary(f1, dice, rule)})
    network = build_network("unet3d", card.hyperparameters)
    return Registry().add(save_package(tmp_path / f"tiny-{version}", card, network.state_dict()))


def _cli(capsys, *args):
    from neuroview.cli.main import main

    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_compare_names_each_cards_rule_and_says_the_lesion_wise_figures_do_not_compare(capsys, tmp_path):
    _install(tmp_path, "1.0.0", 0.9, 0.80)
    _install(tmp_path, "1.1.0", 0.6, 0.85, "msseg2016")
    code, out, err = _cli(capsys, "models", "compare", "tiny@1.0.0", "tiny@1.1.0")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1].startswith("tiny@1.0.0: card held-out lesion-wise Dice 0.80, found 9/10")
    assert lines[1].endswith("F1 0.90 (any-overlap rule)")
    assert lines[3].endswith("F1 0.60 (MSSEG-2016 rule)")
    assert f"note: the two cards' {NOTE.format('any-overlap / MSSEG-2016')}" in lines


def test_promotion_compares_dice_alone_across_rules(capsys, tmp_path):
    from neuroview.ai.registry import Registry

    _install(tmp_path, "1.0.0", 0.9, 0.80)                      # any-overlap, the default
    _install(tmp_path, "1.1.0", 0.6, 0.85, "msseg2016")         # lower F1 by a stricter rule
    _install(tmp_path, "1.2.0", 0.95, 0.75, "msseg2016")        # higher F1, lower Dice
    Registry().promote("tiny@1.0.0", force=True)
    code, out, err = _cli(capsys, "models", "promote", "tiny@1.2.0")
    assert code != 0
    assert (f"tiny@1.2.0 has a lower held-out Dice (0.7500) than the current default tiny@1.0.0 "
            f"(0.8000); {NOTE.format('MSSEG-2016 / any-overlap')}; not promoted") in err
    assert Registry().default_ref() == "tiny@1.0.0"
    code, out, err = _cli(capsys, "models", "promote", "tiny@1.1.0")
    assert code == 0, err
    assert out.splitlines() == ["default for lesion: tiny@1.1.0 (was tiny@1.0.0)",
                                f"note: {NOTE.format('MSSEG-2016 / any-overlap')}"]
    assert Registry().default_ref() == "tiny@1.1.0"


def test_a_stored_measurement_of_the_old_rule_is_measured_again(tmp_path):
    from neuroview.ai.measurements import MeasurementStore

    store = MeasurementStore(tmp_path)
    store.put("old", "tiny@1.0.0", [0.8], _summary(0.9, 0.8))
    store.put("new", "tiny@1.0.0", [0.8], _summary(0.6, 0.8, "msseg2016"))
    assert store.get("old") is None
    assert store.get("new")["lesionwise"]["f1"] == 0.6


def test_a_model_finding_no_lesion_is_not_promoted_over_another_on_a_sliver_of_dice(capsys, tmp_path):
    """Session 47's team walk: both models found none of the held-out lesions (F1 0.00), and
    ``models promote`` made the one with Dice 0.0007 (and 276 false regions per case) the default
    over the one with 0.0000."""
    from neuroview.ai.registry import Registry

    _install(tmp_path, "1.0.0", 0.0, 0.0, "msseg2016")
    _install(tmp_path, "1.1.0", 0.0, 0.0007, "msseg2016")
    Registry().promote("tiny@1.0.0", force=True)
    code, out, err = _cli(capsys, "models", "promote", "tiny@1.1.0")
    assert code != 0
    assert ("neither tiny@1.1.0 nor the current default tiny@1.0.0 finds a held-out lesion "
            "(lesion-wise F1 0 for both): its Dice 0.0007 against 0.0000 is no evidence that it "
            "is better; not promoted") in err
    assert Registry().default_ref() == "tiny@1.0.0"
    assert _cli(capsys, "models", "promote", "tiny@1.1.0", "--force")[0] == 0
    assert Registry().default_ref() == "tiny@1.1.0"
