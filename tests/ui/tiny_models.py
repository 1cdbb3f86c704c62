"""A tiny segmentation model, and a case segmented by it: helpers that test_editor_ai.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

import pytest

pytest.importorskip("neuroview.ai.segment")
torch = pytest.importorskip("torch")

from editor_helpers import open_image, wait_for_session, write_image  # noqa: E402


def tiny_model(folder, preprocessing=()):
    """A 2-level U-Net package whose output is decided by the last layer's bias alone: weights
    zero, biases (background -5, lesion +5), so every voxel is 'lesion' whatever the input;
    ``preprocessing``: its card's steps."""
    from neuroview.ai.api import LabelInfo, ModelCard
    from neuroview.ai.networks import build_network
    from neuroview.ai.package import save_package

    card = ModelCard(name="tiny", version="1.2.0", architecture="unet3d",
                     hyperparameters={"in_channels": 1, "out_channels": 2, "base_channels": 2, "levels": 2},
                     input_channels=["T1"], target_spacing=(4.0, 4.0, 4.0), patch_size=(16, 16, 16),
                     labels=[LabelInfo(1, "lesion", (250, 120, 0))], preprocessing=list(preprocessing))
    state = build_network(card.architecture, card.hyperparameters).state_dict()
    state = {key: torch.zeros_like(value) for key, value in state.items()}
    last_bias = [key for key, value in state.items() if key.endswith("bias") and value.shape == (2,)][-1]
    state[last_bias] = torch.tensor([-5.0, 5.0])
    return save_package(folder / "tiny", card, state)


def segmented_with_tiny(qtbot, window, tmp_path):
    """The test image open and segmented by the tiny model: (package, session), its notice shown."""
    package = tiny_model(tmp_path)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.ai_actions.segment(str(package), "cpu")
    qtbot.waitUntil(lambda: "tiny@1.2.0 on cpu" in window.notice_bar.text, timeout=60000)
    return package, session
