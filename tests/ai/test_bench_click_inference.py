"""bench/click_inference.py's axis-order test-time augmentation maps every view back onto the
cube it came from (the ROI is a cube): a network that answers each voxel from that voxel alone
gives the same probability through it as without it (an axis order undone by itself instead of
its inverse moves the answer of a cyclic order, (1, 2, 0), to the wrong voxels)."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
click_inference = pytest.importorskip("click_inference")
torch = pytest.importorskip("torch")


class VoxelNetwork(torch.nn.Module):
    def forward(self, x):
        return torch.cat([torch.zeros_like(x[:, :1]), 3 * x[:, :1] - 2 * x[:, 1:2] + x[:, 4:5]], 1)


class VoxelModel:
    name, spacing_mm, max_spacing_mm, min_side, divisor, card = "voxels", 1.0, 4.0, 6, 1, None
    network = VoxelNetwork()
    flips = [(), (2,), (3,), (4,), (2, 3), (2, 4), (3, 4), (2, 3, 4)]


@pytest.mark.parametrize("variant", ["perm", "perm12"])
def test_every_axis_order_and_mirroring_is_undone(variant):
    inputs = np.random.default_rng(3).normal(size=(5, 7, 7, 7)).astype(np.float32)
    model = click_inference.TransformedModel(VoxelModel(), click_inference.ORDERS[variant],
                                             all_flips=variant == "perm")
    expected = 1 / (1 + np.exp(-(3 * inputs[0] - 2 * inputs[1] + inputs[4])))
    np.testing.assert_allclose(model.predict(inputs), expected, atol=1e-5)
