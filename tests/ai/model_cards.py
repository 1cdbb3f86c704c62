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
