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


click_match = pytest.importorskip("click_match")


class BrightModel:
    """Answers 1 where the normalised image is bright, whatever the prompts say."""

    name, spacing_mm, max_spacing_mm, min_side, divisor = "bright", 1.0, 1.0, 16, 1

    def predict(self, inputs):
        return (inputs[0] > 2.0).astype(np.float32)


def _ball_volume():
    """A 32^3 volume of tissue (100) holding a bright ball (200) of radius 5 voxels at (14, 16, 16)
    and a bright 2-voxel cube at (22, 9, 9) that touches no prompt; 1 mm voxels."""
    image = np.full((32, 32, 32), 100.0, np.float32)
    ball = np.sum((np.indices(image.shape) - np.array([14, 16, 16])[:, None, None, None]) ** 2, 0) <= 25
    image[ball] = 200.0
    image[22:24, 9:11, 9:11] = 200.0
    return image, ball


def _clicks(name, image, clicks):
    """The variant's answers to ``clicks`` ((voxel, include), one object), each the next one's
    previous mask."""
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet

    segmenter = click_match.matched_segmenter(name, image, np.eye(4), BrightModel())
    prompts, previous, results = PromptSet(), None, []
    for voxel, include in clicks:
        prompts.add(PointPrompt(tuple(float(v) for v in voxel), include))
        result = segmenter.run(prompts, previous)
        previous = np.zeros(image.shape, bool)
        previous[result.slices] = result.mask()
        results.append((result, previous))
    return results


def test_an_exclude_click_on_the_object_s_edge_keeps_its_ball_or_its_voxel_or_nothing_out():
    image, ball = _ball_volume()
    clicks = [((14, 16, 16), True), ((14, 16, 21), False)]   # the exclude on the ball's edge
    [(_, base)] = _clicks("base", image, clicks)[1:]
    near = np.sum((np.indices(image.shape) - np.array([14, 16, 21])[:, None, None, None]) ** 2, 0) <= 4
    np.testing.assert_array_equal(base, ball & ~near)          # the engine: 0 within the 2 mm ball
    [(_, kept)] = _clicks("nokeepout", image, clicks)[1:]
    np.testing.assert_array_equal(kept, ball)                  # the network's answer as it is
    [(_, voxel)] = _clicks("keepvox", image, clicks)[1:]
    expected = ball.copy()
    expected[14, 16, 21] = False
    np.testing.assert_array_equal(voxel, expected)             # only the clicked voxel


def test_allparts_keeps_a_bright_part_that_no_prompt_touches():
    image, ball = _ball_volume()
    [(_, base)] = _clicks("base", image, [((14, 16, 16), True)])
    [(_, every)] = _clicks("allparts", image, [((14, 16, 16), True)])
    np.testing.assert_array_equal(base, ball)
    assert every[22:24, 9:11, 9:11].all() and (every & ~ball).sum() == 8


def _centre(grid):
    return grid.ijk_to_ras[:3, :3] @ np.full(3, (grid.shape[0] - 1) / 2) + grid.ijk_to_ras[:3, 3]


def test_samecube_answers_a_corrective_click_on_the_first_cube_and_recentre_centres_it_on_the_object():
    image, ball = _ball_volume()
    first, second = _clicks("samecube", image, [((12, 16, 16), True), ((17, 16, 16), True)])
    np.testing.assert_array_equal(second[0].grid.ijk_to_ras, first[0].grid.ijk_to_ras)
    _first, moved = _clicks("base", image, [((12, 16, 16), True), ((17, 16, 16), True)])
    assert not np.allclose(moved[0].grid.ijk_to_ras, first[0].grid.ijk_to_ras)
    # an off-centre click: the engine's cube is centred on it, recentre's on the ball (14, 16, 16)
    [(plain, _)] = _clicks("base", image, [((11, 16, 16), True)])
    [(again, mask)] = _clicks("recentre", image, [((11, 16, 16), True)])
    np.testing.assert_array_equal(mask, ball)
    np.testing.assert_allclose(_centre(plain.grid), [11, 16, 16], atol=0.5)   # on the voxels
    np.testing.assert_allclose(_centre(again.grid), [14, 16, 16], atol=0.5)


def test_clickvox_draws_a_click_between_cube_voxels_on_the_nearest_one():
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet
    from neuroview.ai.interactive.roi import encode_prompts, roi_grid

    grid = roi_grid(np.eye(4), (10.0, 10.0, 10.0), 16, 1.5)
    near = grid.ijk_to_ras[:3, :3] @ np.array([7.0, 8.0, 7.0]) + grid.ijk_to_ras[:3, 3]
    between = PromptSet([PointPrompt(tuple(near + 0.6))])
    snapped = click_match._snapped(encode_prompts)(grid, between)
    np.testing.assert_array_equal(snapped, encode_prompts(grid, PromptSet([PointPrompt(tuple(near))])))
    assert not np.array_equal(snapped, encode_prompts(grid, between))


def test_robust_statistics_leave_most_noise_in_the_air_out_of_the_foreground():
    """Rician noise in the air whose peaks pass a tenth of the 99th percentile: counted as
    foreground, it pulls the mean down by over a quarter; robust_stats comes within a tenth of
    the tissue's own (what it keeps is noise beside the tissue, which the smoothing lifts)."""
    from neuroview.ai.normalize import foreground_stats

    rng = np.random.default_rng(4)
    clean = np.zeros((48, 48, 48), np.float32)
    clean[8:40, 8:40, 8:40] = rng.normal(150, 30, (32, 32, 32))
    sigma = 12.0
    noisy = np.sqrt((clean + rng.normal(0, sigma, clean.shape)) ** 2 + rng.normal(0, sigma, clean.shape) ** 2)
    tissue = foreground_stats(clean, clip_percentiles=(0.5, 100.0))
    plain = foreground_stats(noisy, clip_percentiles=(0.5, 100.0))
    robust = click_match.robust_stats(noisy)
    assert plain.mean < 0.75 * tissue.mean
    assert abs(robust.mean - tissue.mean) < 0.1 * tissue.mean
    assert abs(robust.std - tissue.std) < 0.5 * abs(plain.std - tissue.std)


def test_nogrow_answers_on_the_first_cube_where_the_engine_grows_it():
    """A bright slab wider than the first cube: the engine grows the cube around it, nogrow keeps
    the first cube's answer."""
    image = np.full((64, 32, 32), 100.0, np.float32)
    image[4:60, 12:20, 12:20] = 200.0
    [(grown, _)] = _clicks("base", image, [((32, 16, 16), True)])
    [(first, mask)] = _clicks("nogrow", image, [((32, 16, 16), True)])
    assert grown.rounds > 1 and first.rounds == 1
    assert mask[:, 12:20, 12:20].any(axis=(1, 2)).sum() == 20   # the first cube's 20 voxels along x
    # nogrow1: the first click's answer not grown, a corrective click's grown as the engine grows it
    once = _clicks("nogrow1", image, [((32, 16, 16), True), ((34, 16, 16), True)])
    assert once[0][0].rounds == 1 and once[1][0].rounds > 1
