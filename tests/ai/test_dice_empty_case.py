"""A held-out case whose truth holds no lesion gives no Dice (None), as nnU-Net and MONAI's
``DiceMetric(ignore_empty=True)`` leave it out of the mean; its false regions still count. It
scored 1.0 when the prediction was empty too: a model trained for one epoch was carded "held-out
Dice lesion 1.000, found 0/0", and a base that finds nothing beat a fine-tune that finds the
lesion but marks a speck in the empty case (best epoch and promotion both blind)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroview.ai.held_out_scoring import Prediction, score_predictions
from neuroview.ai.metrics import dice_per_label, format_summary, lesion_metrics

torch = pytest.importorskip("torch")

from neuroview.ai import train, validation  # noqa: E402
from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.ai.package import save_package  # noqa: E402
from neuroview.ai.registry import Registry  # noqa: E402
from neuroview.ai.train_config import TrainConfig  # noqa: E402
from tests.ai.model_cards import make_card  # noqa: E402

SHAPE = (24, 24, 24)


def _masks():
    """A split of two cases, one with a lesion and one without, and two models' predictions:
    the base finds nothing; the fine-tune finds the lesion (Dice 0.8) and marks one speck in the
    empty case."""
    lesion = np.zeros(SHAPE, np.uint8)
    lesion[8:16, 8:16, 8:16] = 1
    empty = np.zeros(SHAPE, np.uint8)
    found = np.zeros(SHAPE, np.uint8)
    found[8:16, 8:16, 8:12] = 1                        # half the lesion: Dice 2/3
    found[8:16, 8:16, 12:14] = 1                       # three quarters: Dice 2 * 0.75 / 1.75
    speck = np.zeros(SHAPE, np.uint8)
    speck[2:4, 2:4, 2:4] = 1
    eye = np.eye(4)
    base = [Prediction(empty, lesion, eye), Prediction(empty, empty, eye)]
    fine = [Prediction(found, lesion, eye), Prediction(speck, empty, eye)]
    return base, fine


def test_an_empty_truth_gives_no_dice_and_means_skip_it():
    base, fine = _masks()
    assert dice_per_label(base[1].labels, base[1].truth, 1) == [None]      # was [1.0]
    assert dice_per_label(fine[1].labels, fine[1].truth, 1) == [None]      # a speck: was [0.0]; its
    assert lesion_metrics(fine[1].labels, fine[1].truth, (1, 1, 1))["false_positives"] == 1   # region counts
    dice, summary = score_predictions(fine, 1)
    assert dice == [pytest.approx(2 * 0.75 / 1.75)]                       # the lesion case alone
    assert (summary["dice_cases"], summary["cases"]) == (1, 2)
    assert summary["false_positives_per_case"] == 0.5                      # over both cases
    assert "Dice 0.86 (1 of 2 cases)" in format_summary(summary)


def test_one_epoch_on_a_split_without_lesions_is_not_carded_dice_1(tmp_path):
    """The CLI walk's run: a network that marks nothing, measured on held-out cases with no
    lesion, as validation and the card measure it."""
    nothing = torch.nn.Conv3d(1, 2, 1)
    with torch.no_grad():
        nothing.weight.zero_()
        nothing.bias.copy_(torch.tensor([1.0, -1.0]))                    # background everywhere
    cases = [(np.zeros((1,) + SHAPE, np.float32), np.zeros(SHAPE, np.uint8)) for _ in range(2)]
    config = TrainConfig(out=tmp_path / "model", name="lesionseg", spacing=2.0, patch=16, threads=1)
    figures = validation.validate(nothing, cases, config, 1, "cpu", lesionwise=True)
    assert figures["val_dice"] == [None] and figures["val_f1"] is None     # were [1.0] and 1.0
    assert figures["val_false_per_case"] == 0.0
    dice, score = train._score(figures["val_dice"], figures, True)
    assert dice is None and score == [0.0, 0.0]                           # below any measured F1
    eye = np.eye(4)
    final, summary = score_predictions([Prediction(np.zeros(SHAPE, np.uint8), c[1], eye) for c in cases], 1)
    assert final == [None] and summary["dice"] is None and summary["found"] == 0
    card = {"held_out_dice": {"lesion": final[0]}, "held_out_lesionwise": summary}
    assert json.loads(json.dumps(card, allow_nan=False))["held_out_dice"] == {"lesion": None}
    assert format_summary(summary).startswith("Dice not measured (no case holds a lesion), found 0/0")


def test_the_epoch_that_finds_the_lesion_beats_a_base_that_finds_nothing(tmp_path):
    """Old rule: the base's mean (0 + 1.0) / 2 = 0.5 beat the fine-tune's (0.86 + 0) / 2 = 0.43,
    so the trained epoch was not kept."""
    base, fine = _masks()
    calls = []

    def measure(network) -> dict:
        dice, summary = score_predictions(fine if calls else base, 1)
        calls.append(dice)
        return {"val_dice": dice, "line": "", "val_false_per_case": summary["false_positives_per_case"]}

    rng = np.random.default_rng(0)

    def sample(_rng):
        labels = (rng.random((2, 8, 8, 8)) > 0.5).astype(np.uint8)
        return labels[:, None].astype(np.float32), labels

    lines = []
    history = train.fit(torch.nn.Conv3d(1, 2, 1), _one_epoch(tmp_path),
                        sample, [], 1, log=lines.append, measure=measure, base_ref="tiny@1.0.0")
    assert history["base"]["val_dice"] == [0.0]                            # was 0.5
    assert history["best_epoch"] == 1 and history["best_dice"] == pytest.approx(2 * 0.75 / 1.75)


def test_a_split_without_lesions_chooses_by_false_regions(tmp_path):
    """No case holds a lesion: Dice is not measured, and the epoch with fewer false regions per
    case is kept (never a 1.0 that no epoch can beat)."""
    _, fine = _masks()
    eye, empty = np.eye(4), np.zeros(SHAPE, np.uint8)
    speckled = [fine[1], fine[1]]                                          # a speck in each
    clean = [Prediction(empty, empty, eye), fine[1]]                       # a speck in one
    scripted = iter([speckled, clean])

    def measure(network) -> dict:
        dice, summary = score_predictions(next(scripted), 1)
        return {"val_dice": dice, "line": "", "val_false_per_case": summary["false_positives_per_case"]}

    history = train.fit(torch.nn.Conv3d(1, 2, 1), _one_epoch(tmp_path),
                        lambda rng: (np.zeros((1, 1, 8, 8, 8), np.float32), np.zeros((1, 8, 8, 8), np.uint8)),
                        [], 1, log=lambda line: None, measure=measure, base_ref="tiny@1.0.0")
    assert history["base"]["val_dice"] == [None] and history["best_epoch"] == 1
    assert history["best_dice"] is None


def _one_epoch(tmp_path) -> TrainConfig:
    return TrainConfig(out=tmp_path / "m", name="t", spacing=2.0, patch=8, threads=1, epochs=1,
                       iterations_per_epoch=1)


def _install(tmp_path, version, predictions, parent=None):
    dice, summary = score_predictions(predictions, 1)
    card = make_card(version=version, parent=parent, metrics={
        "held_out_dice": {"lesion": dice[0]}, "held_out_split": "s1", "held_out_cases": 2,
        "held_out_lesionwise": summary})
    network = build_network("unet3d", card.hyperparameters)
    return Registry().add(save_package(tmp_path / f"tiny-{version}", card, network.state_dict()))


def test_compare_and_promotion_of_cards_with_an_empty_case(tmp_path, capsys):
    """Both cards measured on the same split of a lesion case and an empty one; it refused the
    fine-tune as 'lower held-out Dice (0.4286) than ... (0.5000)' when the empty case scored the
    base 1.0 (lesion-wise F1 tied then, 0.5 each: the empty case's 1.0 and 0.0 in the means)."""
    from neuroview.cli.main import main

    base, fine = _masks()
    registry = Registry()
    current = _install(tmp_path, "1.0.0", base)
    registry.promote(current.ref, force=True)
    new = _install(tmp_path, "1.1.0", fine, parent=current.ref)
    assert main(["models", "compare", current.ref, new.ref]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("tiny@1.0.0: card held-out Dice lesion 0.000 (over 1 of 2 cases: 1 "
                             "holds no lesion) (split s1, 2 cases)")
    assert "lesion-wise Dice 0.86 (1 of 2 cases), found 1/1" in out[3]
    from neuroview.ui.model_compare import compare_rows  # the Models dialog's compare view

    rows = compare_rows(Registry().get(current.ref).card, Registry().get(new.ref).card)
    assert rows[0] == ("Dice lesion", "0.0000 (1 of 2 cases)", "0.8571 (1 of 2 cases)", "+0.8571")
    Registry().promote(new.ref)
    assert Registry().default_ref() == new.ref


def test_an_old_card_with_dice_1_from_empty_cases_still_loads(tmp_path, capsys):
    """Cards written before session 40 counted an empty case as 1.0 and name no ``dice_cases``:
    they load, print and are judged as they are (the lesion-free split is still refused)."""
    from neuroview.ai.held_out import promotion_key
    from neuroview.cli.main import main

    old = {"cases": 2, "dice": 1.0, "lesions": 0, "found": 0, "false_positives_per_case": 0.0,
           "f1": 1.0, "sensitivity": None, "lesion_rule": "msseg2016",
           "per_case": {"dice": [1.0, 1.0], "sensitivity": [None, None], "false_positives": [0, 0],
                        "f1": [1.0, 1.0]}}
    card = make_card(version="2.0.0", metrics={"held_out_dice": {"lesion": 1.0}, "held_out_split": "s1",
                                               "held_out_cases": 2, "held_out_lesionwise": old})
    network = build_network("unet3d", card.hyperparameters)
    entry = Registry().add(save_package(tmp_path / "tiny-2.0.0", card, network.state_dict()))
    assert promotion_key(Registry().get(entry.ref).card) == (1.0, 1.0)
    assert main(["models", "show", entry.ref]) == 0
    assert "held-out Dice lesion 1.000; lesion-wise Dice 1.00, found 0/0" in capsys.readouterr().out
    current = _install(tmp_path, "1.0.0", _masks()[0])
    Registry().promote(current.ref, force=True)
    with pytest.raises(Exception, match="hold no lesion"):
        Registry().promote(entry.ref)


def test_a_kept_measurement_from_before_is_measured_again(tmp_path):
    """``models compare --dataset`` keeps measurements by the model's and dataset's hashes and
    neuroview's version, which did not change: one kept before counted empty cases as 1.0."""
    from neuroview.ai.measurements import MeasurementStore

    store = MeasurementStore(tmp_path)
    store.put("k", "tiny@1.0.0", [1.0], {"cases": 2, "dice": 1.0, "lesions": 0, "lesion_rule": "msseg2016"})
    assert store.get("k") is None
    some = {"cases": 2, "dice": 0.9, "lesions": 1, "lesion_rule": "msseg2016",
            "per_case": {"sensitivity": [1.0, None], "dice": [0.8, 1.0]}}      # one empty case in 0.9
    store.put("k", "tiny@1.0.0", [0.9], some)
    assert store.get("k") is None
    store.put("k", "tiny@1.0.0", [0.8], {**some, "per_case": {"sensitivity": [1.0, 0.5]}})
    assert store.get("k")["dice"] == [0.8]                                  # no empty case: kept
    store.put("k", "tiny@1.0.0", [None], {"cases": 2, "dice": None, "dice_cases": 0, "lesions": 0,
                                          "f1": None, "f1_cases": 0, "lesion_rule": "msseg2016"})
    assert store.get("k")["dice"] == [None]
    # kept this session before F1 left empty cases out: its F1 1.0 (0/0 found) is measured again
    store.put("k", "tiny@1.0.0", [None], {"cases": 2, "dice": None, "dice_cases": 0, "lesions": 0,
                                          "f1": 1.0, "lesion_rule": "msseg2016"})
    assert store.get("k") is None


def test_f1_of_a_case_without_a_lesion_is_left_out_of_the_mean(tmp_path):
    """As its Dice is (MONAI's ignore_empty; panoptica gives NaN with no instance): F1 was 1.0
    for an empty case with nothing marked and 0.0 with a speck, so the base that finds nothing
    and the fine-tune that finds the lesion tied at F1 0.5; the speck counts in false regions."""
    from neuroview.ai.held_out import promotion_key
    from neuroview.ui.model_compare import compare_rows

    base, fine = _masks()
    _, summary = score_predictions(fine, 1)
    assert summary["per_case"]["f1"] == [1.0, None]                       # was [1.0, 0.0]
    assert (summary["f1"], summary["f1_cases"]) == (1.0, 1)               # was 0.5
    assert summary["false_positives_per_case"] == 0.5
    assert score_predictions(base, 1)[1]["f1"] == 0.0                     # was 0.5
    assert "F1 1.00 (MSSEG-2016 rule)" in format_summary(summary)
    old, new = _install(tmp_path, "1.0.0", base), _install(tmp_path, "1.1.0", fine)
    old_card, new_card = Registry().get(old.ref).card, Registry().get(new.ref).card
    assert promotion_key(new_card) == (1.0, 0.8571)                      # F1 decides; was (0.5, ...)
    assert promotion_key(old_card) == (0.0, 0.0)
    assert ("F1 lesion-wise", "0.000 (1 of 2 cases)", "1.000 (1 of 2 cases)", "+1.000") in \
        compare_rows(old_card, new_card)


def test_f1_of_a_split_without_a_lesion_is_not_measured(tmp_path):
    """No held-out case holds a lesion: F1 is not measured (it was 1.0 for a model that marks
    nothing); promotion compares false regions per case, the compare view says so."""
    import math

    from neuroview.ai.held_out import promotion_key
    from neuroview.ui.model_compare import compare_rows

    _, fine = _masks()
    eye, empty = np.eye(4), np.zeros(SHAPE, np.uint8)
    _, summary = score_predictions([Prediction(empty, empty, eye), fine[1]], 1)
    assert (summary["f1"], summary["f1_cases"]) == (None, 0)
    assert format_summary(summary).endswith("0.5 FP/case, F1 not measured (MSSEG-2016 rule)")
    card = make_card(version="1.0.0", metrics={"held_out_dice": {"lesion": None}, "held_out_cases": 2,
                                               "held_out_split": "s1", "held_out_lesionwise": summary})
    f1, dice = promotion_key(card)
    assert math.isnan(f1) and dice == pytest.approx(-0.5 / 1.5)
    assert ("F1 lesion-wise", "not measured", "not measured", "") in compare_rows(card, card)


def test_each_labels_dice_names_the_cases_it_is_over(tmp_path, capsys):
    """Several labels: each one's Dice is over the held-out cases whose truth holds it, recorded
    per label (``held_out_dice_cases``); only the lesion-wise count (cases with any label) was
    recorded, so a label two cases hold and one that one case holds read alike."""
    from neuroview.ai.held_out import label_dice_cases
    from neuroview.ai.held_out_scoring import dice_cases
    from neuroview.cli.main import main
    from neuroview.ui.model_compare import compare_rows

    both = np.zeros(SHAPE, np.uint8)
    both[4:8, 4:8, 4:8], both[12:16, 12:16, 12:16] = 1, 2
    one = np.where(both == 2, 0, both).astype(np.uint8)                  # no label 2
    predictions = [Prediction(both, both, np.eye(4)), Prediction(one, one, np.eye(4))]
    assert dice_cases(predictions, 2) == [2, 1]
    assert score_predictions(predictions, 2)[1]["dice_cases"] == 2        # the lesion-wise count
    from neuroview.ai.api import LabelInfo

    labels = [LabelInfo(1, "lesion", (255, 0, 0)), LabelInfo(2, "edema", (0, 255, 0))]
    card = make_card(version="1.0.0", labels=labels,
                     hyperparameters={"in_channels": 1, "out_channels": 3, "base_channels": 2, "levels": 2},
                     metrics={
        "held_out_dice": {"lesion": 1.0, "edema": 1.0}, "held_out_cases": 2, "held_out_split": "s1",
        "held_out_dice_cases": {"lesion": 2, "edema": 1},
        "held_out_lesionwise": score_predictions(predictions, 2)[1]})
    hostile = make_card(metrics={**card.metrics, "held_out_dice_cases": {"lesion": True, "edema": 5}},
                        labels=labels, hyperparameters=card.hyperparameters)
    assert label_dice_cases(hostile, "lesion") == label_dice_cases(hostile, "edema") == ""
    rows = compare_rows(card, card)
    assert rows[:2] == [("Dice lesion", "1.0000", "1.0000", "+0.0000"),
                        ("Dice edema", "1.0000 (1 of 2 cases)", "1.0000 (1 of 2 cases)", "+0.0000")]
    network = build_network("unet3d", card.hyperparameters)
    entry = Registry().add(save_package(tmp_path / "tiny-1.0.0", card, network.state_dict()))
    assert main(["models", "show", entry.ref]) == 0
    assert ("held-out Dice lesion 1.000, edema 1.000 (over 1 of 2 cases: 1 holds no edema)"
            in capsys.readouterr().out)
