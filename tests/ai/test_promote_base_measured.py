"""Promoting a model fine-tuned from the default: training ran the default on the new model's own
held-out cases (``metrics.base_held_out``), and promotion judges on those figures. It refused with
"cannot tell whether ... better ...: their held-out Dice was not measured on the same split" (walk,
session 31: the Models dialog's *Promote to default* after AI > Train model... on a 2-case set,
whose notice had just given both figures on the same case)."""

from __future__ import annotations

import pytest

from neuroview.core.errors import ModelError

torch = pytest.importorskip("torch")

from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.ai.package import save_package  # noqa: E402
from neuroview.ai.registry import Registry  # noqa: E402


def lesionwise(dice, f1):
    return {"cases": 3, "dice": dice, "sensitivity": f1, "lesions": 9, "found": 7,
            "false_positives_per_case": 0.3, "f1": f1, "per_case": {}}


def add(registry, tmp_path, card_factory, version, metrics, parent=None):
    card = card_factory(version=version, parent=parent, metrics=metrics)
    network = build_network(card.architecture, card.hyperparameters)
    return registry.add(save_package(tmp_path / f"tiny-{version}", card, network.state_dict()))


def fine_tuned(registry, tmp_path, card_factory, version, base_f1, cases=3):
    """tiny@VERSION, fine-tuned from tiny@1.0.0 on another split: Dice 0.62, F1 0.80 on its
    held-out cases, where tiny@1.0.0 scored Dice 0.73 and F1 ``base_f1``."""
    return add(registry, tmp_path, card_factory, version, {
        "held_out_dice": {"lesion": 0.62}, "held_out_split": "s2", "held_out_cases": cases,
        "held_out_lesionwise": lesionwise(0.62, 0.80),
        "base_held_out": {"ref": "tiny@1.0.0", "dice": {"lesion": 0.73},
                          "lesionwise": lesionwise(0.73, base_f1)}}, parent="tiny@1.0.0")


@pytest.fixture
def registry(tmp_path, card_factory):
    registry = Registry()
    base = add(registry, tmp_path, card_factory, "1.0.0", {
        "held_out_dice": {"lesion": 0.48}, "held_out_split": "s1", "held_out_cases": 12,
        "held_out_lesionwise": lesionwise(0.48, 0.60)})
    registry.promote(base.ref, force=True)
    return registry


def test_worse_on_the_same_cases_is_refused_with_both_figures(registry, tmp_path, card_factory):
    worse = fine_tuned(registry, tmp_path, card_factory, "1.1.0", base_f1=0.875)
    with pytest.raises(ModelError) as refused:
        registry.promote(worse.ref)
    assert str(refused.value).startswith(
        "tiny@1.1.0 has a lower held-out lesion-wise F1 (0.8000) than the current default tiny@1.0.0 "
        "(0.8750, both on tiny@1.1.0's held-out cases); not promoted")
    assert registry.default_ref() == "tiny@1.0.0"


def test_better_on_the_same_cases_is_promoted(registry, tmp_path, card_factory):
    better = fine_tuned(registry, tmp_path, card_factory, "1.2.0", base_f1=0.70)
    registry.promote(better.ref)   # F1 0.80 against the base's 0.70 on the same three cases
    assert registry.default_ref() == "tiny@1.2.0"


def test_one_held_out_case_is_too_little_evidence(registry, tmp_path, card_factory):
    one = fine_tuned(registry, tmp_path, card_factory, "1.3.0", base_f1=0.70, cases=1)
    with pytest.raises(ModelError, match=r"\(0.6200, the current default tiny@1.0.0 0.7300, both on "
                                         r"tiny@1.3.0's held-out cases\) was measured on 1 held-out case"):
        registry.promote(one.ref)
