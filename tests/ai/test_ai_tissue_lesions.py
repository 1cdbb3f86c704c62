"""The lesion recipe's lesions at another tissue's intensity (lesionseg 2.4.0's recipe): a share of
the training lesions is painted hard-edged into white matter at 0.5-0.6 or 1.4-1.5 of its intensity,
where a T1's and a T2's grey matter lie, since 2.3.0 took such lesions for normal grey matter; the
share is ``neuroview train --synthetic --tissue-lesions`` (default a third) and the card records it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from neuroview.ai import contrast, synth

DARK, BRIGHT = (0.5, 0.6), (1.4, 1.5)


@pytest.fixture(scope="module")
def base():
    rng = np.random.default_rng(4)
    tissues = contrast.deformed_tissues(synth.load_mni_anatomy(), rng, 2.0)
    return contrast.base_case(tissues, rng, values=(1.0, 0.62, 0.18))  # T1 table, as a T1 head


def _painted(base, share, draws=90, seed=8):
    """One lesion at a time painted into 32^3 crops as a training patch paints them: for each, the
    voxel intensities of the lesion against the local white matter's (median of the unpainted
    image where the white matter map > 0.9 within 4 voxels of the lesion), and whether anything
    outside the lesion changed."""
    rng = np.random.default_rng(seed)
    shape = np.asarray(base.image.shape)
    lesions = []
    for _ in range(draws):
        centre = synth.lesion_centres(base.brain, 1, rng, 0.5)[0]
        box = tuple(slice(int(a), int(a) + 32) for a in np.clip(centre - 16, 0, shape - 32))
        before = base.image[box]
        image, label = before.copy(), np.zeros(before.shape, bool)
        synth.paint_lesions(image, label, base.brain[box], base.wm[box], 1, 2.0, rng, share)
        if not label.any():
            continue
        near = ndimage.binary_dilation(label, iterations=4) & ~label & (base.wm[box] > 0.9)
        if not near.any():
            continue
        ratios = image[label] / float(np.median(before[near]))
        lesions.append((ratios, bool(np.any(image[~label] != before[~label]))))
    return lesions


def _at_another_tissue(ratios) -> bool:
    """Nine in ten of the lesion's voxels within one of the two ranges (its texture is up to
    +-6 %, and white matter's own varies across the neighbourhood)."""
    for lo, hi in (DARK, BRIGHT):
        if np.mean((ratios > lo * 0.94) & (ratios < hi * 1.06)) >= 0.9:
            return True
    return False


def test_a_third_of_the_training_lesions_take_another_tissues_intensity_hard_edged(base):
    lesions = _painted(base, synth.TISSUE_LESION_SHARE)
    assert len(lesions) >= 70
    # hard-edged (nothing outside the lesion changed; the other kind blends a soft edge outward)
    # and at another tissue's intensity
    other = [r for r, edge in lesions if not edge and _at_another_tissue(r)]
    share = len(other) / len(lesions)
    assert 0.2 <= share <= 0.47, share  # a third, give or take the draw (binomial sd 0.05)
    medians = np.array([np.median(r) for r in other])
    dark, bright = medians[medians < 1], medians[medians > 1]
    # both ranges, and each covered from end to end
    assert len(dark) >= 4 and len(bright) >= 4
    assert dark.min() < 0.53 and dark.max() > 0.57, dark
    assert bright.min() < 1.43 and bright.max() > 1.47, bright


def test_the_recipe_before_paints_none_of_them(base):
    lesions = _painted(base, 0.0)
    assert len(lesions) >= 70
    assert not [r for r, edge in lesions if not edge and _at_another_tissue(r)]


def test_spheres_and_irregular_shapes_both(base):
    """A sphere fills about as much of its bounding box as a ball does (pi/6 = 0.52) and is as
    wide along each axis; an irregular one is not."""
    rng = np.random.default_rng(11)
    centre = np.argwhere(base.wm > 0.9)[len(np.argwhere(base.wm > 0.9)) // 2]
    round_, other = 0, 0
    for _ in range(40):
        image, label = base.image.copy(), np.zeros(base.image.shape, bool)
        synth.paint_tissue_lesion(image, label, np.ones(label.shape), base.wm, centre, 2.0, rng)
        extent = np.ptp(np.argwhere(label), axis=0) + 1
        if label.sum() < 100:
            continue
        fill = label.sum() / np.prod(extent)
        if extent.max() - extent.min() <= 1 and 0.45 < fill < 0.6:
            round_ += 1
        else:
            other += 1
    assert round_ >= 8 and other >= 8, (round_, other)


def test_the_command_line_default_is_a_third_and_the_card_records_the_share(monkeypatch, tmp_path, capsys):
    from neuroview.ai import lesion_recipe
    from neuroview.cli.main import main

    seen = []
    monkeypatch.setattr(lesion_recipe, "train_synthetic", lambda config: seen.append(config))
    args = ["train", "--synthetic", "--out", str(tmp_path / "lesionseg"), "--spacing", "2", "--patch", "32"]
    assert main(args) == 0
    assert main(args + ["--tissue-lesions", "0"]) == 0
    assert [c.tissue_lesions for c in seen] == [pytest.approx(1 / 3), 0.0]
    assert main(args + ["--tissue-lesions", "1.5"]) != 0
    assert "--tissue-lesions 1.5 is not a share between 0 and 1" in capsys.readouterr().err
    history = {"iterations": 1, "epochs": [], "best_epoch": 0, "seconds": 60, "world_size": 1}
    assert lesion_recipe._training_record(seen[0], history)["tissue_lesions"] == pytest.approx(0.3333)
    assert lesion_recipe._training_record(seen[1], history)["tissue_lesions"] == 0.0


def test_the_recipes_sampler_paints_with_the_configured_share(monkeypatch):
    from neuroview.ai.samplers import synthetic_sampler
    from neuroview.ai.train_config import TrainConfig

    shares = []
    real = synth.training_patch
    monkeypatch.setattr(synth, "training_patch",
                        lambda *a, **k: shares.append(k["tissue_share"]) or real(*a, **k))
    config = TrainConfig(out=None, name="x", patch=32, spacing=2.0, tissue_lesions=0.25)
    images, labels = synthetic_sampler(config, synth.load_mni_anatomy(), pool_size=1)(
        np.random.default_rng(0))
    assert shares == [0.25, 0.25] and images.shape == (2, 1, 32, 32, 32)
