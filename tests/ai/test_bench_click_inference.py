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


click_exclude = pytest.importorskip("click_exclude")


def _two_blobs():
    """A 9-voxel-wide bar along the first axis (the object before the click) and an answer that
    removes both its ends, x < 3 and x >= 15, on a 1 x 1 x 1 mm box."""
    before = np.zeros((20, 9, 9), bool)
    before[:, 2:7, 2:7] = True
    answer = before.copy()
    answer[:3] = False
    answer[15:] = False
    return before, answer


def test_excomp_takes_only_the_removed_part_the_exclude_click_lies_in():
    before, answer = _two_blobs()
    kept = click_exclude.after_exclude("excomp", before, answer, answer.astype(np.float32),
                                       [np.array([17, 4, 4])], [np.array([8, 4, 4])], (1.0, 1.0, 1.0))
    assert not kept[15:].any()                          # the clicked end removed
    np.testing.assert_array_equal(kept[:15], before[:15])  # the far end kept


def test_exvor_keeps_the_include_clicks_side_and_exrad_the_click_s_ball():
    before, answer = _two_blobs()
    args = ([np.array([1, 4, 4])], [np.array([17, 4, 4])], (1.0, 1.0, 1.0))
    kept = click_exclude.after_exclude("exvor", before, answer, answer.astype(np.float32), *args)
    np.testing.assert_array_equal(kept[9:], before[9:])   # nearer the include click: kept
    assert not kept[:3].any()
    # object of 500 voxels: radius 4.9 mm; within 0.5 of it (2.5 mm) of x = 1 the answer, else before
    kept = click_exclude.after_exclude("exrad0.5", before, answer, answer.astype(np.float32), *args)
    assert not kept[:3, 4, 4].any() and kept[15:].sum() == before[15:].sum()
    assert click_exclude.is_exclude_variant("exrad0.5") and not click_exclude.is_exclude_variant("hyst0.75")


def test_another_model_is_paired_by_the_engines_second_click_and_by_size(capsys):
    """``--model``: the difference per lesion after each click, split by the bundled model's second
    click (include or exclude) and by size, with its standard error."""
    rows = {"base": [[0.5, 0.6, 0.7], [0.7, 0.6, 0.8], [0.6, 0.5, 0.9], [0.8, 0.9, 0.9]],
            "model": [[0.6, 0.7, 0.8], [0.7, 0.8, 0.8], [0.6, 0.7, 0.9], [0.8, 0.9, 0.9]]}
    firsts = {"base": [(1, 1, [True, True]), (1, 1, [False, True]), (1, 1, [False]), (1, 1, [])],
              "model": [(1, 1, [True, True]), (1, 1, [True]), (1, 1, [False]), (1, 1, [])]}
    click_inference.paired(rows, [6.0, 8.0, 12.0, 25.0], firsts, "model")
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    said = {line.split(" n=")[0].strip(): line for line in lines if " n=" in line}
    assert said["all"].endswith("difference +0.025 (0.025) / +0.125 (0.048) / +0.025 (0.025)")
    assert "n= 2" in said["2nd click exclude"]
    assert said["2nd click exclude"].endswith("difference +0.000 (0.000) / +0.200 (0.000) / +0.000 (0.000)")
    assert "2nd click include" not in said   # one lesion: no standard error
    assert said["5-10 mm"].endswith("difference +0.050 (0.050) / +0.150 (0.050) / +0.050 (0.050)")
    assert "its own second clicks, include: 2, mean gain +0.100, 0 lose over 0.01" in lines
