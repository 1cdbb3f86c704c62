"""``neuroview train --synthetic --base MODEL``: the recipe starts from a lesion model's weights
(a fine-tune of the bundled model), and refuses one of another architecture with a clear message."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from neuroview.ai.lesion_recipe import _start_from_base  # noqa: E402
from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.core.errors import ModelError  # noqa: E402
from neuroview.paths import resources_dir  # noqa: E402

BUNDLED = resources_dir() / "models" / "lesionseg"


def test_the_recipe_starts_from_the_base_models_weights():
    import torch

    from neuroview.ai.package import load_model

    base = load_model(BUNDLED)
    hyper = dict(base.card.hyperparameters)
    network = build_network("unet3d", hyper)
    lines = []
    assert _start_from_base(network, str(BUNDLED), hyper, lines.append).ref == base.card.ref
    expected = base.network.state_dict()
    for name, value in network.state_dict().items():
        assert torch.equal(value, expected[name]), name
    assert lines == [f"starting from {base.card.ref}"]


def test_a_base_of_another_size_is_refused_naming_it():
    hyper = {"in_channels": 1, "out_channels": 2, "base_channels": 4, "levels": 4}
    with pytest.raises(ModelError, match="base-channels"):
        _start_from_base(build_network("unet3d", hyper), str(BUNDLED), hyper, print)


def test_finish_only_runs_the_finish_step_on_the_bases_weights(monkeypatch, tmp_path, capsys):
    """``--finish-only`` trains nothing: the finish step gets the base and the new version; without
    a base it stops with one line saying what is missing."""
    from neuroview.ai import lesion_recipe
    from neuroview.cli.main import main

    seen = []
    monkeypatch.setattr(lesion_recipe, "finish_base", lambda config: seen.append(config))
    monkeypatch.setattr(lesion_recipe, "train_synthetic", lambda config: pytest.fail("trained"))
    out = str(tmp_path / "lesionseg")
    assert main(["train", "--synthetic", "--base", str(BUNDLED), "--finish-only", "--out", out,
                 "--version", "9.0.0", "--spacing", "2", "--patch", "32"]) == 0
    assert (seen[0].extra["base"], seen[0].version, seen[0].spacing, seen[0].patch) == (
        str(BUNDLED), "9.0.0", 2.0, 32)
    assert main(["train", "--synthetic", "--finish-only", "--out", out, "--version", "9.0.1"]) != 0
    assert "--finish-only needs --base" in capsys.readouterr().err
    assert len(seen) == 1
