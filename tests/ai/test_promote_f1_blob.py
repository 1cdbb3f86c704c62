"""A model whose one region covers the whole brain "finds" every lesion with no false positive
under the any-overlap rule (lesion-wise F1 1.0 at Dice 0.06, as a random-weight model scored in
session 32's walk); it was promoted over a model that found the lesions, because F1 decided
alone. Now a higher F1 with a much lower Dice is refused, with --force to overrule (cards of that
rule are still about); and MSSEG-2016's rule, which metrics counts with since session 33, finds
no lesion with such a region and counts it as one false positive."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.metrics import lesion_metrics
from neuroview.core.errors import ModelError

torch = pytest.importorskip("torch")

from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.ai.package import save_package  # noqa: E402
from neuroview.ai.registry import Registry  # noqa: E402


def _figures():
    truth = np.zeros((40, 40, 40), bool)
    for x in (8, 18, 28):
        truth[x:x + 4, 10:14, 10:14] = True
    truth[8:12, 28:32, 28:32] = True                      # four lesions of 64 voxels
    blob = np.zeros_like(truth)
    blob[2:38, 2:38, 2:38] = True                         # one region over everything
    good = truth.copy()
    good[28:32] = False                                    # three of four found exactly
    good[30:33, 30:33, 2:5] = True                        # and one false alarm
    return lesion_metrics(blob, truth, (1, 1, 1)), lesion_metrics(good, truth, (1, 1, 1))


def test_one_region_over_everything_finds_nothing_under_msseg2016():
    blob, good = _figures()
    assert (blob["found"], blob["false_positives"], blob["f1"]) == (0, 1, 0.0)
    assert blob["dice"] < 0.05 and blob["lesion_rule"] == "msseg2016"
    assert good["f1"] == pytest.approx(0.75) and good["dice"] > 0.8


def test_one_region_over_everything_scores_f1_1_and_is_not_promoted(tmp_path, card_factory):
    _, good = _figures()
    # the any-overlap rule's blind spot (cards measured before session 33 name no rule), as
    # the old rule counted the blob: every lesion found, no false region
    blob = {"dice": 0.03, "f1": 1.0, "sensitivity": 1.0}
    good = {"dice": good["dice"], "f1": good["f1"], "sensitivity": good["sensitivity"]}
    registry = Registry()

    def package(version, figures):
        card = card_factory(version=version, metrics={
            "held_out_dice": {"lesion": figures["dice"]}, "held_out_split": "s1",
            "held_out_cases": 8,
            "held_out_lesionwise": {"dice": figures["dice"], "f1": figures["f1"],
                                    "sensitivity": figures["sensitivity"], "per_case": {}}})
        network = build_network(card.architecture, card.hyperparameters)
        return registry.add(save_package(tmp_path / f"t-{version}", card, network.state_dict()))

    current = package("1.0.0", good)
    registry.promote(current.ref, force=True)
    blob_model = package("2.0.0", blob)
    with pytest.raises(ModelError, match=r"higher held-out lesion-wise F1 than the current default "
                                         r"tiny@1.0.0 \(1.0000 against 0.7500\) but under half its Dice"):
        registry.promote(blob_model.ref)
    assert registry.default_ref() == current.ref
    registry.promote(blob_model.ref, force=True)          # the user's call, when they looked
    assert registry.default_ref() == blob_model.ref
