"""The model card the AI tests (and the Models dialog's) build their packages on. A helper
module, not the conftest: importing ``tests.ai.conftest`` ran that conftest a second time,
beside the copy pytest had loaded (``tests/test_collect_together.py``). Import it as
``tests.ai.model_cards`` everywhere, so it too is loaded once."""

from __future__ import annotations


def make_card(**overrides):
    """A 2-level, 2-channel-wide U-Net's card (``tiny@1.0.0``, one T1 input, label 1
    ``lesion``); ``overrides`` replace its fields."""
    from neuroview.ai.api import LabelInfo, ModelCard

    fields = dict(name="tiny", version="1.0.0", architecture="unet3d",
                  hyperparameters={"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2},
                  input_channels=["T1"], target_spacing=(2.0, 2.0, 2.0), patch_size=(16, 16, 16),
                  labels=[LabelInfo(1, "lesion", (255, 0, 0))])
    fields.update(overrides)
    return ModelCard(**fields)


def two_tiny_models(folder, card_factory):
    """A registry holding ``tiny@1.0.0`` and ``tiny@1.1.0``, two 2 mm 16^3-patch networks of
    ``card_factory``'s card with different random weights (torch seeds 0 and 1), saved under
    ``folder``: the pair the measure/compare/promote tests judge."""
    import torch

    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package
    from neuroview.ai.registry import Registry

    registry = Registry()
    for version, seed in (("1.0.0", 0), ("1.1.0", 1)):
        card = card_factory(version=version, target_spacing=(2.0, 2.0, 2.0), patch_size=(16, 16, 16))
        torch.manual_seed(seed)
        network = build_network(card.architecture, card.hyperparameters)
        registry.add(save_package(folder / f"tiny-{version}", card, network.state_dict()))
    return registry
