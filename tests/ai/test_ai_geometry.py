"""Masks come back on the input's own grid and align with the image in world space."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.core.geometry import affine_from_spacing

torch = pytest.importorskip("torch")

from neuroview.ai.api import SegmentationRequest  # noqa: E402
from neuroview.ai.infer import run_model  # noqa: E402
from neuroview.ai.package import LoadedModel  # noqa: E402


def _rotation(degrees_x, degrees_z):
    ax, az = np.deg2rad(degrees_x), np.deg2rad(degrees_z)
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    return rz @ rx


GRIDS = {
    # name: (shape, spacing, directions)
    "oblique anisotropic LPS-like": ((64, 60, 24), (0.9, 0.9, 3.0),
                                     _rotation(17, 23) @ np.diag([-1, -1, 1])),
    "sagittal thick slices, permuted axes": ((20, 70, 66), (4.0, 0.8, 0.85),
                                             np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]], float)),
    "isotropic 1.5 mm RAS": ((40, 44, 36), (1.5, 1.5, 1.5), np.eye(3)),
}


@pytest.mark.parametrize("name", list(GRIDS))
def test_mask_aligns_with_image_in_world_space(name, card_factory, threshold_net, sphere):
    shape, spacing, directions = GRIDS[name]
    affine = affine_from_spacing(spacing, (-30.0, 12.0, -7.0), directions)
    centre_voxel = np.array(shape) * 0.45
    centre_ras = affine[:3, :3] @ centre_voxel + affine[:3, 3]
    image, truth = sphere(shape, affine, centre_ras, radius_mm=12.0)
    card = card_factory(normalization={"scheme": "none"}, target_spacing=(1.7, 1.7, 1.7),
                        patch_size=(24, 24, 24))
    model = LoadedModel(card, threshold_net(200.0), "", "safetensors")
    result = run_model(model, SegmentationRequest([image], affine, device="cpu"))

    assert result.labels.shape == shape and result.labels.dtype == np.uint8
    assert np.array_equal(result.ijk_to_ras, affine)
    mask = result.labels == 1
    dice = 2 * (mask & truth).sum() / (mask.sum() + truth.sum())
    assert dice > 0.9, dice
    # The mask's centre of mass in RAS lies on the sphere's centre (voxel size is up to 4 mm).
    ijk = np.argwhere(mask).mean(0)
    centroid_ras = affine[:3, :3] @ ijk + affine[:3, 3]
    assert np.linalg.norm(centroid_ras - centre_ras) < 0.5


def test_input_channels_must_match_the_card(card_factory, threshold_net):
    from neuroview.core.errors import ModelError

    card = card_factory(input_channels=["T1", "FLAIR"])
    model = LoadedModel(card, threshold_net(0.0), "", "safetensors")
    with pytest.raises(ModelError, match="needs 2 input channel"):
        run_model(model, SegmentationRequest([np.zeros((8, 8, 8), np.float32)], np.eye(4)))


def test_an_image_far_smaller_than_the_field_of_view_is_refused(card_factory, threshold_net):
    """An 8 x 8 x 3 voxel toy run through the bundled model marked 136 of its 192 voxels, a result
    that meant nothing; now refused in one line. A crop half the field of view still runs."""
    from neuroview.core.errors import ModelError

    card = card_factory(normalization={"scheme": "none"})           # 16 voxels of 2 mm: 32 mm
    net = threshold_net(50.0)
    model = LoadedModel(card, net, "", "safetensors")
    toy = np.full((8, 8, 3), 100.0, np.float32)
    with pytest.raises(ModelError, match=r"the image \(8 x 8 x 3 mm\) is far smaller than the field "
                                         r"of view of tiny@1.0.0 \(32 x 32 x 32 mm\)"):
        run_model(model, SegmentationRequest([toy], np.eye(4), device="cpu"))
    assert net.calls == 0                                            # refused before the model ran
    crop = np.full((16, 10, 10), 100.0, np.float32)                 # 16 mm along R: half of it
    assert (run_model(model, SegmentationRequest([crop], np.eye(4), device="cpu")).labels == 1).all()
