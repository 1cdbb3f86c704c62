"""``neuroview models compare BASE FINE`` without ``--dataset`` gives what tells whether the two
cards' figures compare: the base run on the fine-tune's own held-out cases (which the fine-tune's
card holds) and a note that the cards' own figures come from different cases. It printed the
bundled model's 0.480 (on its synthetic heads, "split -") beside a fine-tune's 0.914 on one case of
the user's, and nothing else, while on that case the base scored 0.987: the fine-tune looked nearly
twice as good and was worse."""

from __future__ import annotations

import pytest

from tests.ai.model_cards import make_card

torch = pytest.importorskip("torch")


def _install(tmp_path, version, metrics, parent=None):
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from neuroview.ai.registry import Registry

    card = make_card(version=version, parent=parent, metrics=metrics)
    network = build_network("unet3d", card.hyperparameters)
    return Registry().add(save_package(tmp_path / f"tiny-{version}", card, network.state_dict()))


def _compare(capsys, a, b) -> list[str]:
    from neuroview.cli.main import main

    assert main(["models", "compare", a, b]) == 0
    return capsys.readouterr().out.splitlines()


def test_compare_gives_the_base_on_the_fine_tunes_cases_and_says_the_cards_differ(capsys, tmp_path):
    _install(tmp_path, "1.0.0", {"held_out_dice": {"lesion": 0.48}, "held_out_cases": 12,
                                 "held_out_description": "whole heads from seeds 20000-20011, T1"})
    _install(tmp_path, "1.1.0", {"held_out_dice": {"lesion": 0.914}, "held_out_split": "a9563",
                                 "held_out_cases": 1,
                                 "base_held_out": {"ref": "tiny@1.0.0", "dice": {"lesion": 0.987}}},
             parent="tiny@1.0.0")
    out = _compare(capsys, "tiny@1.0.0", "tiny@1.1.0")
    assert out[0].startswith("tiny@1.0.0: card held-out Dice lesion 0.480 "
                             "(whole heads from seeds 20000-20011, 12 cases)")      # not "split -"
    assert out[2].startswith("tiny@1.1.0: card held-out Dice lesion 0.914 (split a9563, 1 case)")
    assert out[4] == ("tiny@1.0.0 on tiny@1.1.0's held-out cases (run at the end of its training, "
                      "on its card): Dice lesion 0.987")
    assert out[5].startswith("note: the two cards' own figures come from different held-out cases, "
                             "so they do not compare; the line above compares both on the same cases")
    assert len(out) == 6
    # the other order names the same base line (the fine-tune is found either way)
    swapped = "\n".join(_compare(capsys, "tiny@1.1.0", "tiny@1.0.0"))
    assert "tiny@1.0.0 on tiny@1.1.0's held-out cases" in swapped


def test_cards_of_one_split_compare_without_a_note(capsys, tmp_path):
    for version, dice in (("1.0.0", 0.5), ("1.1.0", 0.6)):
        _install(tmp_path, version, {"held_out_dice": {"lesion": dice}, "held_out_split": "s1",
                                     "held_out_cases": 3})
    out = _compare(capsys, "tiny@1.0.0", "tiny@1.1.0")
    assert len(out) == 4 and not any(line.startswith("note:") for line in out), out
    assert out[0].startswith("tiny@1.0.0: card held-out Dice lesion 0.500 (split s1, 3 cases)")
