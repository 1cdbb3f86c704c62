"""A model that finds the brain everywhere, for the preprocessing tests: helpers that
test_ai_preprocess.py and the tests building on it share (test modules import helpers from a helper
module, never from another test module)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("deepbet")

from neuroview.ai.api import ModelCard  # noqa: E402


def everywhere_model(folder, preprocessing):
    from neuroview.ai.api import LabelInfo
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    card = ModelCard(name="everywhere", version="1.0.0", architecture="unet3d",
                     hyperparameters={"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2},
                     input_channels=["T1"], target_spacing=(4.0, 4.0, 4.0), patch_size=(16, 16, 16),
                     labels=[LabelInfo(1, "lesion", (250, 120, 0))], preprocessing=preprocessing)
    state = build_network(card.architecture, card.hyperparameters).state_dict()
    state = {key: torch.zeros_like(value) for key, value in state.items()}
    last_bias = [key for key, value in state.items() if key.endswith("bias") and value.shape == (2,)][-1]
    state[last_bias] = torch.tensor([-5.0, 5.0])
    return save_package(folder / "everywhere", card, state)
