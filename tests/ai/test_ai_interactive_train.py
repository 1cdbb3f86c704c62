"""The recipe of the bundled promptable network (``neuroview train --interactive``).

The command line's options reach the trainer; the sampler's object lists, found once per
anatomy, are exactly the whole-volume searches they replace; it shows each object at a spacing
that fits it in the cube (as the inference ROI does), and part of the large ones in the engine's
first cube around a click; it draws more 4-8 mm lesions; other tissue contrasts look like T2/FLAIR;
a fine-tune's card names its whole lineage; a wider fine-tune (``--base-channels``) starts as its base;
with ``--average-decay`` a moving average of the weights is kept when it scores better.
"""

import numpy as np
import pytest
from scipy import ndimage

from neuroview.ai.interactive import train as interactive_train
from neuroview.ai.interactive.cubes import ObjectSampler, tissue_contrast_image
from neuroview.ai.normalize import apply_stats
from neuroview.ai.synth import load_mni_anatomy


def test_command_line_passes_batch_size_and_threads(monkeypatch, tmp_path):
    from neuroview.cli.main import main

    seen = []
    monkeypatch.setattr(interactive_train, "train_interactive", lambda config: seen.append(config))
    code = main(["train", "--interactive", "--out", str(tmp_path / "clickseg"), "--version", "1.1.0",
                 "--batch-size", "4", "--threads", "1", "--minutes", "2", "--iterations", "50",
                 "--base", "clickseg", "--base-channels", "12"])
    assert code == 0
    config = seen[0]
    assert (config.batch_size, config.threads, config.minutes, config.iterations_per_epoch,
            config.version, config.base, config.base_channels) == (4, 1, 2.0, 50, "1.1.0", "clickseg", 12)
    assert (config.first_click_cubes, config.small_lesions) == (0.4, 0.25)  # the recipe's defaults
    assert config.keep_worse is False   # a fine-tune that does not beat its base is not saved
    assert main(["train", "--interactive", "--out", str(tmp_path / "c2"), "--first-click-cubes", "0.6",
                 "--small-lesions", "0.1", "--base", "clickseg", "--keep-worse"]) == 0
    assert (seen[1].first_click_cubes, seen[1].small_lesions, seen[1].keep_worse) == (0.6, 0.1, True)


@pytest.fixture(scope="module")
def sampler():
    """One sampler on the undeformed template (finding its objects takes seconds)."""
    return ObjectSampler(load_mni_anatomy(), np.random.default_rng(0), 32, deform=False)


def test_sampler_object_lists_match_whole_volume_search(sampler):
    assert np.array_equal(sampler.centres, np.argwhere(sampler.brain > 0.6))
    labels = sampler.csf_ids[:: max(1, len(sampler.csf_ids) // 12)] + sampler.csf_ids[-1:]
    for label in labels:  # the box sample() cuts a CSF blob from holds all of it
        box = sampler.csf_boxes[label - 1]
        found = np.argwhere(sampler.csf[box] == label) + [s.start for s in box]
        assert np.array_equal(found, np.argwhere(sampler.csf == label)), label
    image_before = sampler.image
    sampler._new_base()  # a refresh without deformation: new contrast, same objects
    assert not np.array_equal(sampler.image, image_before)
    assert np.array_equal(sampler.centres, np.argwhere(sampler.brain > 0.6))


def _small_anatomy(seed: int):
    """A 48^3 stand-in for the template: a noisy brain-shaped ball, GM and WM shells, CSF pockets."""
    from neuroview.ai.synth import Anatomy

    rng = np.random.default_rng(seed)
    radius = np.linalg.norm(np.indices((48, 48, 48)) - 23.5, axis=0)
    brain = (np.clip(20 - radius, 0, 1) * (rng.random(radius.shape) > 0.05)).astype(np.float32)
    wm = np.where(radius < 12, 0.95, 0.0).astype(np.float32)
    gm = np.where((radius >= 12) & (radius < 19), 0.9, 0.0).astype(np.float32)
    gm[20:24, 36:40, 20:26] = 0.0                     # a CSF pocket in the grey matter
    return Anatomy(brain * 900, brain, np.eye(4), gm, wm)


def test_a_second_sampler_on_the_same_anatomy_is_not_searched_again(monkeypatch):
    """A training run makes two samplers on the undeformed template (its cubes and its held-out
    objects), and each searched the template's objects (0.8 s): the second one, and one on the
    template loaded again (other arrays, the same voxels), takes the first one's objects, the
    same as a search; an anatomy that differs in one voxel is searched anew."""
    from neuroview.ai.interactive import cubes

    searches = []
    real = cubes.search_objects
    monkeypatch.setattr(cubes, "search_objects", lambda *args: searches.append(args) or real(*args))
    anatomy, again = _small_anatomy(5), _small_anatomy(5)
    first = ObjectSampler(anatomy, np.random.default_rng(0), 16, deform=False, tissue_lesions=0.5)
    second = ObjectSampler(again, np.random.default_rng(1), 16, deform=False, tissue_lesions=0.5)
    assert len(searches) == 1 and again.brain is not anatomy.brain
    fresh = real(again.brain, again.gm, again.wm, True)
    for sampler in (first, second):
        assert sampler.csf_ids == fresh.csf_ids and sampler.csf_boxes == fresh.csf_boxes
        for name in ("wm_centres", "centres", "hull", "csf"):
            assert np.array_equal(getattr(sampler, name), getattr(fresh, name)), name
    assert len(fresh.csf_ids) >= 1
    again.gm[22, 38, 23] = 0.9                        # fills a voxel of the CSF pocket
    third = ObjectSampler(again, np.random.default_rng(2), 16, deform=False, tissue_lesions=0.5)
    assert len(searches) == 2
    assert np.array_equal(third.csf, real(again.brain, again.gm, again.wm, True).csf)
    assert not np.array_equal(third.csf, first.csf)


def test_sampler_sees_each_object_at_a_spacing_that_fits_it(sampler, monkeypatch):
    patch = sampler.patch
    monkeypatch.setattr(sampler, "max_spacing", 4.0)
    spacings, extents_mm, inside = [], [], []
    for _ in range(40):
        image, truth, spacing, _click = sampler.sample()
        assert image.shape == truth.shape == (patch,) * 3 and truth.sum() >= 8
        idx = np.argwhere(truth)
        extent = int((idx.max(0) - idx.min(0)).max()) + 1
        spacings.append(spacing)
        extents_mm.append(extent * spacing)
        border = np.ones(truth.shape, bool)
        border[1:-1, 1:-1, 1:-1] = False
        inside.append(not (truth & border).any())
    spacings, extents_mm = np.asarray(spacings), np.asarray(extents_mm)
    assert np.all((spacings >= 1.0) & (spacings <= 4.0))
    # objects longer than a 1 mm cube exist, and they are seen at a coarser spacing
    assert (extents_mm > patch).any() and np.all(spacings[extents_mm > patch] > 1.0)
    # most objects lie whole in their cube (the rest as in a first ROI that clips them)
    assert np.mean(inside) > 0.6


def test_other_tissue_contrasts_invert_csf_like_t2_and_flair(sampler):
    anatomy = sampler.anatomy
    csf = sampler.hull & ((anatomy.gm + anatomy.wm) < 0.05)
    wm = anatomy.wm > 0.95
    rng = np.random.default_rng(3)
    for contrast, csf_brighter in (("t1", False), ("t2", True), ("flair", False)):
        image = tissue_contrast_image(anatomy.t1, anatomy.gm, anatomy.wm, sampler.hull, rng, contrast)
        assert (image[csf].mean() > image[wm].mean()) == csf_brighter, contrast
        assert image[csf].mean() < 0.5 * image[anatomy.gm > 0.95].mean() or contrast == "t2"


def test_the_recipe_paints_hard_edged_white_matter_lesions_at_another_tissues_intensity():
    """A share of the recipe's lesions lies in white matter at 0.5-0.6 or 1.4-1.5 of its
    intensity, hard-edged (clickseg 1.7.0, trained on soft lesions only, took 0.19 of such a
    brighter lesion on issue #12's T2 heads, where it has grey matter's intensity)."""
    from neuroview.ai.synth import TISSUE_LESION_RATIOS

    config = interactive_train.InteractiveConfig(out=None)
    assert 0 < config.tissue_lesions == interactive_train._sampler_options(config)["tissue_lesions"]
    sampler = ObjectSampler(load_mni_anatomy(), np.random.default_rng(4), 32, deform=False,
                            tissue_lesions=1.0)
    wm = sampler.anatomy.wm
    for _ in range(4):
        image, truth, lo = sampler._lesion()
        box = tuple(slice(int(a), int(a) + n) for a, n in zip(lo, truth.shape))
        level = float(np.median(sampler.image[box][wm[box] > 0.9]))
        ratio = np.median(image[truth]) / level
        assert any(a - 0.05 <= ratio <= b + 0.05 for a, b in TISSUE_LESION_RATIOS), ratio
        centre = np.round(np.argwhere(truth).mean(0)).astype(int)
        assert wm[box][tuple(centre)] > 0.5  # in white matter
        edge = truth & ~ndimage.binary_erosion(truth)
        assert abs(np.median(image[edge]) / level - ratio) < 0.1  # hard-edged: the rim as the core


def test_sampler_does_not_clip_a_lesion_brighter_than_white_matter(sampler):
    """The recipe's statistics have no upper clip (as lesionseg's since 2.2.0): a lesion painted
    45 % above white matter, the brain's brightest tissue on a T1, keeps its contrast in the cube."""
    wm_level = float(np.median(sampler.image[sampler.anatomy.wm > 0.95]))
    levels = np.array([wm_level, 1.45 * wm_level], np.float32)
    normalised = apply_stats(levels, sampler.stats)
    assert sampler.stats.high == float("inf")
    assert normalised[1] - normalised[0] > 0.3 * wm_level / sampler.stats.std


def test_a_large_objects_first_click_cube_is_the_engines_first_roi(sampler, monkeypatch):
    """The engine sees a large lesion's first click in a 32 mm cube at 1 mm around the click (a
    click gives no size); the recipe cuts part of the large objects' cubes the same way, with the
    whole object as the truth, so the network learns to run to the cube's border."""
    from neuroview.ai.interactive.engine import InteractiveSegmenter
    from neuroview.ai.interactive.model import NetworkPromptModel
    from neuroview.ai.interactive.prompts import PointPrompt, PromptSet

    monkeypatch.setattr(sampler, "max_spacing", 4.0)
    monkeypatch.setattr(sampler, "first_click", 1.0)
    engine = InteractiveSegmenter(sampler.image, np.eye(4), NetworkPromptModel())
    ball = np.linalg.norm(np.indices((41, 41, 41)) - 20.0, axis=0) <= 14.0  # 29 mm across
    lo = np.array([60, 80, 70])
    grid, click = sampler._cube(ball, lo)
    assert click is not None and ball[tuple(click - lo)]
    assert np.linalg.norm(click - lo - 20) <= 7.5  # in the object's deep half
    expected = engine._first_grid(PromptSet([PointPrompt(tuple(click.astype(float)))]), None)
    assert grid.shape == expected.shape == (32, 32, 32)
    assert np.allclose(grid.ijk_to_ras, expected.ijk_to_ras)
    small = np.linalg.norm(np.indices((9, 9, 9)) - 4.0, axis=0) <= 3.0  # 7 mm: fits the first cube
    assert sampler._cube(small, lo)[1] is None

    drawn = [sampler.sample() for _ in range(40)]
    first = [c for c in drawn if c.click is not None]
    assert len(first) >= 4
    for cube in first:
        assert cube.spacing == 1.0 and cube.truth[tuple(cube.click)]
        assert np.all(np.isin(cube.click, (15, 16)))  # the cube is centred on the click
    # the truth is the whole object clipped by the cube, not an object that fits in it
    reach = [bool(c.truth[[0, -1]].any() or c.truth[:, [0, -1]].any() or c.truth[:, :, [0, -1]].any())
             for c in first]
    assert sum(reach) >= 2


def test_the_recipe_draws_more_4_to_8_mm_lesions(sampler, monkeypatch):
    """A quarter of the lesions are drawn from 4-8 mm (5-10 mm lesions got a 1-2 mm halo); the
    painted lesions' equivalent diameters show it."""
    options = interactive_train._sampler_options(interactive_train.InteractiveConfig(out="."))
    monkeypatch.setattr(sampler, "small_lesions", options["small_lesions"])
    monkeypatch.setattr(sampler, "rng", np.random.default_rng(1))
    diameters = np.array([(6 * sampler._lesion()[1].sum() / np.pi) ** (1 / 3) for _ in range(120)])
    share = np.mean((diameters >= 4) & (diameters <= 8))
    assert share > 0.4, share  # 0.31 with all lesions drawn from 4-30 mm
    assert np.mean(diameters >= 20) > 0.1  # large ones are still drawn


@pytest.fixture(scope="module")
def fine_tune(tmp_path_factory):
    """One fine-tune of the bundled model as `--base clickseg --base-channels N --average-decay
    0.5` would run it, N four over the bundled network's width, one epoch of two steps (the clock
    counts 0.01 s a call, whatever this machine's speed), the scores fixed so that the epoch beats
    the base (scored first, epoch 0) and the moving average scores better: (child package, the
    log's lines, the weights after each step, the base model). One run for the lineage, widening,
    averaging and base tests (each trained its own: 14 s of CPU for the three, 4.6 s for one)."""
    import itertools
    import types

    from neuroview.ai.interactive.model import bundled_path
    from neuroview.ai.package import load_model

    base = load_model(bundled_path())
    # the base, then the weights and the average every epoch
    scores = itertools.chain([(0.3, 0.4)], itertools.cycle([(0.5, 0.6), (0.7, 0.8)]))
    steps, real = [], interactive_train._averaged

    def recording(network, decay):
        average = real(network, decay)
        update = average.update_parameters

        def record(model):
            steps.append({k: v.detach().clone() for k, v in model.state_dict().items()})
            update(model)
        average.update_parameters = record
        return average

    clock = itertools.count(0.0, 0.01)
    config = interactive_train.InteractiveConfig(
        out=tmp_path_factory.mktemp("fine_tune") / "child", name="child", version="9.0.0",
        minutes=0.06 / 60, iterations_per_epoch=2, batch_size=1, threads=1, validation_objects=1,
        base=str(bundled_path()), corrective_clicks=0, average_decay=0.5, exclude_clicks=0.5,
        base_channels=base.card.hyperparameters["base_channels"] + 4)
    lines = []
    with pytest.MonkeyPatch.context() as patch:  # a module's fixture: made before the tests' own
        patch.setenv("NEUROVIEW_HOME", str(tmp_path_factory.mktemp("home")))
        patch.setattr(interactive_train, "measure_card", lambda folder, log: {})
        patch.setattr(interactive_train, "score", lambda network, objects: next(scores))
        patch.setattr(interactive_train, "_averaged", recording)
        patch.setattr(interactive_train, "time", types.SimpleNamespace(monotonic=lambda: next(clock)))
        child = load_model(interactive_train.train_interactive(config, log=lines.append))
    return child, lines, steps, base


def test_the_card_records_the_share_of_exclude_click_cubes(fine_tune):
    """``--exclude-clicks`` is on the card, with the other shares of the recipe."""
    child, *_ = fine_tune
    assert child.card.training["exclude_clicks"] == 0.5


def test_a_fine_tune_of_a_fine_tune_names_the_whole_lineage(fine_tune):
    """The card of a model fine-tuned from a fine-tuned model says which model it came from and
    where that one came from (the card read back from its folder): `parent` named the base only,
    so clickseg 1.7.0 from 1.6.0 would have lost that 1.6.0 came from 1.3.0."""
    child, _lines, _steps, base = fine_tune
    assert base.card.parent  # the bundled model is itself a fine-tune
    assert child.card.parent == f"{base.card.ref} <- {base.card.parent}"


@pytest.mark.parametrize("extra", [4, 8])
def test_a_widened_network_answers_as_its_base(extra):
    """``widen_unet3d`` gives the bundled network more channels without changing its answer, so a
    wider fine-tune starts where the bundled model stands; it refuses to narrow (the bundled
    network has 16 channels since clickseg 1.9.0, 8 before)."""
    import torch

    from neuroview.ai.interactive.model import bundled_path
    from neuroview.ai.networks import build_network, widen_unet3d
    from neuroview.ai.package import load_model
    from neuroview.core.errors import ModelError

    base = load_model(bundled_path())
    width = base.card.hyperparameters["base_channels"]
    channels = width + extra
    state, hyper = widen_unet3d(base.network.state_dict(), dict(base.card.hyperparameters), channels)
    assert hyper["base_channels"] == channels
    wide = build_network("unet3d", hyper)
    wide.load_state_dict(state)
    assert sum(p.numel() for p in wide.parameters()) > 1.4 * sum(p.numel() for p in base.network.parameters())
    x = torch.randn(2, 5, 32, 32, 32, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected, got = base.network.eval()(x), wide.eval()(x)
    assert torch.allclose(got, expected, atol=1e-3 * float(expected.abs().max())), \
        float((got - expected).abs().max())
    with pytest.raises(ModelError, match="narrow"):
        widen_unet3d(state, hyper, width)


def test_a_fine_tune_with_more_base_channels_widens_its_base(fine_tune):
    """`--base clickseg --base-channels N`, N over the bundled network's width, trains an
    N-channel network from the bundled one (the option used to be dropped without a word when a
    --base was given: the child kept the base's width)."""
    child, lines, _steps, base = fine_tune
    channels = base.card.hyperparameters["base_channels"] + 4
    assert child.card.hyperparameters["base_channels"] == channels
    assert child.network.widths[0] == channels
    assert any("widened" in line for line in lines)


def test_the_recipe_can_keep_a_moving_average_of_the_weights(fine_tune):
    """``--average-decay``: an exponential moving average of the weights is scored after every
    epoch beside the weights themselves, and when it scores better it is what the package holds
    (here with decay 0.5, after the first epoch's two steps: half of each step's weights)."""
    import torch

    child, _lines, steps, _base = fine_tune
    assert len(steps) == 2
    assert (child.card.training["kept"], child.card.training["best_epoch"]) == ("average", 1)
    assert child.card.training["history"][0]["average_dice_3_clicks"] == 0.8
    assert child.card.metrics["held_out_dice_1_click"] == 0.7
    saved = child.network.state_dict()
    moved = [k for k in saved if not torch.equal(steps[0][k], steps[1][k])]
    assert moved  # the two steps changed the weights
    for key in saved:
        torch.testing.assert_close(saved[key], 0.5 * steps[0][key] + 0.5 * steps[1][key])
    assert interactive_train._averaged(child.network, 0.0) is None  # 0: the recipe as before


def test_a_fine_tune_that_beats_its_base_is_saved_with_the_bases_figures(fine_tune):
    """The base is scored first on the held-out objects (epoch 0, the one to beat); an epoch that
    beats it is saved unmarked, its card holding the base's figures on the same objects."""
    child, lines, _steps, base = fine_tune
    assert any(line.startswith(f"epoch 0 (the base {base.card.ref}, before training; an epoch is kept "
                               "only if it beats it): held-out Dice 1 click 0.300, 3 clicks 0.400")
               for line in lines), lines
    metrics = child.card.metrics
    assert (metrics["base_held_out_dice_1_click"], metrics["base_held_out_dice_3_clicks"]) == (0.3, 0.4)
    assert "not_better_than_base" not in metrics
