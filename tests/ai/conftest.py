"""Fixtures for the AI tests: tiny networks, model packages and cards made on the fly."""

from __future__ import annotations

import os

import numpy as np
import pytest

from tests.ai.model_cards import make_card

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _threads():
    # two threads when the tests run alone, one per worker under pytest -n 2 (see tests/conftest.py)
    torch.set_num_threads(1 if os.environ.get("PYTEST_XDIST_WORKER") else 2)


@pytest.fixture(scope="module")
def tiny_click_base(tmp_path_factory):
    """A tiny promptable package (2 levels, 2 channels wide, random weights of seed 0), as
    ``train --interactive --base`` takes one."""
    from neuroview.ai.api import ModelCard
    from neuroview.ai.interactive.roi import CHANNELS
    from neuroview.ai.interactive.train import OBJECT_LABEL
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    hyper = {"in_channels": 5, "out_channels": 2, "base_channels": 2, "levels": 2}
    torch.manual_seed(0)
    card = ModelCard(name="tinyclick", version="1.0.0", architecture="unet3d", hyperparameters=hyper,
                     input_channels=list(CHANNELS), target_spacing=(1.0,) * 3, patch_size=(16,) * 3,
                     labels=list(OBJECT_LABEL), training={"task": "interactive"})
    return save_package(tmp_path_factory.mktemp("base") / "tinyclick", card,
                        build_network("unet3d", hyper).state_dict())


class ThresholdNet(torch.nn.Module):
    """Logits (background, foreground) = (0, (x - threshold) / width): segments bright voxels."""

    def __init__(self, threshold: float, width: float = 10.0) -> None:
        super().__init__()
        self.threshold, self.width = threshold, width
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        fg = (x[:, :1] - self.threshold) / self.width
        return torch.cat([torch.zeros_like(fg), fg], dim=1)


@pytest.fixture
def tiny_package(tmp_path):
    """A valid safetensors package of a 2-level, 2-channel-wide U-Net with random weights."""
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    card = make_card()
    torch.manual_seed(0)
    network = build_network(card.architecture, card.hyperparameters)
    return save_package(tmp_path / "tiny", card, network.state_dict())


@pytest.fixture
def threshold_net():
    return ThresholdNet


@pytest.fixture
def card_factory():
    return make_card


def sphere_image(shape, ijk_to_ras, centre_ras, radius_mm, inside=300.0, outside=100.0):
    """An image whose voxels inside a RAS sphere are bright, sampled at each voxel centre."""
    ijk = np.indices(shape).reshape(3, -1).T.astype(float)
    p_ras = ijk @ np.asarray(ijk_to_ras)[:3, :3].T + np.asarray(ijk_to_ras)[:3, 3]
    inside_mask = np.linalg.norm(p_ras - np.asarray(centre_ras), axis=1) <= radius_mm
    image = np.where(inside_mask, inside, outside).reshape(shape).astype(np.float32)
    return image, inside_mask.reshape(shape)


@pytest.fixture
def sphere():
    return sphere_image
