"""``neuroview train --synthetic --mirror-axes 0``: the recipe's finish step tunes the
post-processing and measures the held-out cases with left-right test-time mirroring, and the card
it writes asks inference for the same."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neuroview.ai.validation import predict_probabilities  # noqa: E402


class LooksLeft(torch.nn.Module):
    """Calls a voxel lesion when the voxel before it along the first axis is bright: its answer
    lies one voxel off the lesion, to one side."""

    def forward(self, x):
        shifted = torch.roll(x[:, :1], 1, dims=2)
        return torch.cat([torch.zeros_like(shifted), 40 * (shifted - 0.5)], dim=1)


def test_mirrored_held_out_prediction_is_the_mean_of_the_image_and_its_mirror_image():
    image = np.zeros((1, 16, 16, 16), np.float32)
    image[0, 6:10, 6:10, 6:10] = 1.0
    plain = predict_probabilities(LooksLeft(), image, 16, 2)[1]
    mirrored = predict_probabilities(LooksLeft(), image, 16, 2, mirror_axes=(0,))[1]
    assert np.array_equal(np.flatnonzero((plain > 0.5).any((1, 2))), [7, 8, 9, 10])  # one voxel off
    assert mirrored[8, 8, 8] > 0.99
    assert abs(mirrored[6, 8, 8] - 0.5) < 0.01 and abs(mirrored[10, 8, 8] - 0.5) < 0.01
    assert np.allclose(mirrored, mirrored[::-1], atol=1e-5)  # symmetric about the lesion's centre
    assert np.allclose(mirrored, (plain + plain[::-1]) / 2, atol=1e-5)  # the lesion is symmetric


def test_the_command_line_passes_mirroring_and_refuses_an_axis_that_is_not_one(monkeypatch, tmp_path,
                                                                               capsys):
    from neuroview.ai import lesion_recipe
    from neuroview.cli.main import main
    from neuroview.paths import resources_dir

    seen = []
    monkeypatch.setattr(lesion_recipe, "finish_base", lambda config: seen.append(config))
    args = ["train", "--synthetic", "--base", str(resources_dir() / "models" / "lesionseg"), "--finish-only",
            "--out", str(tmp_path / "lesionseg"), "--version", "9.0.0", "--spacing", "2", "--patch", "32"]
    assert main(args + ["--mirror-axes", "0"]) == 0
    assert seen[0].mirror_axes == (0,)
    with pytest.raises(SystemExit):
        main(args + ["--mirror-axes", "3"])
    assert "'3' is not a list of distinct axes among 0, 1, 2" in capsys.readouterr().err
    assert len(seen) == 1


def test_the_finish_step_tunes_measures_and_writes_the_card_with_mirroring(monkeypatch, tmp_path):
    from neuroview.ai import lesion_recipe, operating_point
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import load_model
    from neuroview.ai.train_config import TrainConfig

    seen = {}

    def choose(model, spacing, device="cpu", log=None):
        seen["tuned with"] = list(model.card.mirror_axes)
        return {"min_component_probability": 0.9}, {"min_component_probability": 0.99}, {}

    def held_out(network, config, rules):
        seen["measured with"] = config.mirror_axes
        return {"held_out_dice": {"lesion": 0.5}, "held_out_cases": 1, "other_brain_dice": {"lesion": 0.5},
                "held_out_lesionwise": {}, "other_brain_lesionwise": {}}

    monkeypatch.setattr(operating_point, "choose_operating_point", choose)
    monkeypatch.setattr(lesion_recipe, "held_out_metrics", held_out)
    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": 4, "levels": 2}
    config = TrainConfig(out=tmp_path / "pkg", name="pkg", spacing=2.0, patch=16, mirror_axes=(0,))
    folder = lesion_recipe.finish_synthetic(build_network("unet3d", hyper), config, None, hyper,
                                            lambda line: None, training={"recipe": "test"})
    assert json.loads((folder / "model.json").read_text())["mirror_axes"] == [0]
    assert load_model(folder).card.mirror_axes == [0]
    assert load_model(folder).card.postprocessing_thick == {"min_component_probability": 0.99}
    assert seen == {"tuned with": [0], "measured with": (0,)}


def test_a_fine_tune_measures_its_base_on_the_same_held_out_cases(monkeypatch, tmp_path):
    """``train --synthetic --base``: the card and the log give the base's figures on the held-out
    heads the new model was measured on, with the base's own post-processing (the card had only
    the new model's; the base's card may be of another run of the recipe)."""
    import torch

    from neuroview.ai import lesion_recipe, operating_point
    from neuroview.ai.api import LabelInfo, ModelCard
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import load_model, save_package
    from neuroview.ai.train_config import TrainConfig

    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": 4, "levels": 2}
    base_network = build_network("unet3d", hyper)
    base_card = ModelCard(name="base", version="1.0.0", architecture="unet3d", hyperparameters=hyper,
                          input_channels=["T1"], target_spacing=(2.0,) * 3, patch_size=(16,) * 3,
                          labels=[LabelInfo(1, "lesion", (255, 0, 0))],
                          postprocessing={"min_component_probability": 0.7})
    base_path = save_package(tmp_path / "base", base_card, base_network.state_dict())
    new_network = build_network("unet3d", hyper)
    summary = {"dice": 0.5, "found": 1, "lesions": 2, "by_size": {}, "false_positives_per_case": 0.0,
               "f1": 0.5}
    measured = []

    def held_out(network, config, rules):
        is_base = all(torch.equal(v, base_network.state_dict()[k]) for k, v in network.state_dict().items())
        measured.append(("base" if is_base else "new", rules))
        dice = 0.78 if is_base else 0.69
        return {"held_out_dice": {"lesion": dice}, "held_out_cases": 3, "other_brain_dice": {"lesion": 0.5},
                "held_out_lesionwise": {**summary, "dice": dice, "found": 2 if is_base else 1},
                "other_brain_lesionwise": summary}

    monkeypatch.setattr(operating_point, "choose_operating_point",
                        lambda model, spacing, device="cpu", log=None: ({"min_component_probability": 0.9},
                                                                        {}, {}))
    monkeypatch.setattr(lesion_recipe, "held_out_metrics", held_out)
    config = TrainConfig(out=tmp_path / "pkg", name="pkg", spacing=2.0, patch=16)
    config.extra.update(base=str(base_path), base_ref="base@1.0.0")
    lines = []
    folder = lesion_recipe.finish_synthetic(new_network, config, {"best_dice": 0.6}, hyper, lines.append,
                                            training={"recipe": "test"})
    card = load_model(folder).card
    assert measured == [("new", {"min_component_probability": 0.9}),
                        ("base", {"min_component_probability": 0.7})]
    assert card.metrics["held_out_dice"] == {"lesion": 0.69} and card.parent == "base@1.0.0"
    assert card.metrics["base_held_out"]["ref"] == "base@1.0.0"
    assert card.metrics["base_held_out"]["dice"] == {"lesion": 0.78}
    assert card.metrics["base_held_out"]["lesionwise"]["found"] == 2
    assert "base base@1.0.0 on the same held-out cases: Dice 0.780" in lines
    assert any(line.startswith("base base@1.0.0 held-out lesion-wise: Dice 0.78, found 2/2")
               for line in lines)
