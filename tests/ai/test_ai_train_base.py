"""``neuroview train --synthetic --base MODEL``: the recipe starts from a lesion model's weights
(a fine-tune of the bundled model), and refuses one of another architecture with a clear message."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from neuroview.ai.networks import build_network  # noqa: E402
from neuroview.ai.train import _start_from_base  # noqa: E402
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
