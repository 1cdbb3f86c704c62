"""Training contrast synthesised from tissue maps (neuroview.ai.contrast): the tissues get the
intensities asked for, nothing lies outside the brain but the thin shell, and a training patch
made from such a base is finite, and most (not all) such patches hold lesions."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai import contrast, synth


@pytest.fixture(scope="module")
def tissues():
    return contrast.deformed_tissues(synth.load_mni_anatomy(), np.random.default_rng(3), 2.0)


def _median(image, mask):
    return float(np.median(image[mask]))


@pytest.mark.parametrize("values", [(1.0, 0.62, 0.18), (0.45, 0.65, 1.0), (0.55, 0.8, 0.1)])
def test_tissues_get_the_intensities_asked_for(tissues, values):
    image = contrast.synthesize(tissues, np.random.default_rng(0), values)
    wm, gm, csf = (tissues.wm > 0.9), (tissues.gm > 0.9), (tissues.csf > 0.9)
    got = [_median(image, m) for m in (wm, gm, csf)]
    # the order of the three tissues is the order asked for (bias, gamma and scale aside)
    assert np.argsort(got).tolist() == np.argsort(values).tolist()
    assert np.isfinite(image).all() and image.min() >= 0


def test_nothing_outside_the_brain_but_a_thin_shell(tissues):
    from scipy import ndimage

    for seed in range(6):
        image = contrast.synthesize(tissues, np.random.default_rng(seed))
        beyond = ~ndimage.binary_dilation(tissues.head, iterations=2)
        assert not image[beyond].any()
        assert image[tissues.head].mean() > 0


def test_patches_from_a_synthetic_base_hold_their_lesions(tissues):
    rng = np.random.default_rng(5)
    base = contrast.base_case(tissues, rng)
    found = 0
    for _ in range(12):
        image, label = synth.training_patch(base, rng, 32, 2.0)
        assert image.shape == label.shape == (32, 32, 32)
        assert np.isfinite(image).all() and set(np.unique(label)) <= {0, 1}
        found += bool(label.any())
    assert 4 <= found < 12  # most patches hold lesions, some none (normal anatomy)


def test_a_lesion_brighter_than_white_matter_keeps_its_contrast_in_training_patches(tissues):
    """On a T1 white matter is the brightest tissue: the recipe's normalisation must not clip a
    lesion 45 % brighter than it down to white matter's level (before lesionseg 2.2.0 the clip at
    the brain's 99.5th percentile did, and the model learnt such lesions as barely brighter)."""
    from neuroview.ai.normalize import apply_stats

    rng = np.random.default_rng(1)
    base = contrast.base_case(tissues, rng, values=(1.0, 0.62, 0.18))
    wm = tissues.wm > 0.9
    centre = np.argwhere(wm)[len(np.argwhere(wm)) // 2]
    image = base.image.copy()
    sphere = np.zeros(image.shape, bool)
    sphere[tuple(slice(c - 2, c + 3) for c in centre)] = True
    sphere &= wm
    image[sphere] *= 1.45
    normalised = apply_stats(image, base.stats)
    white = float(np.median(normalised[wm & ~sphere]))
    lesion = float(np.median(normalised[sphere]))
    lesion_raw, white_raw = float(np.median(image[sphere])), float(np.median(image[wm & ~sphere]))
    # contrast in units of the normalised scale: what the raw image has, not flattened by a clip
    assert lesion - white == pytest.approx((lesion_raw - white_raw) / base.stats.std, rel=0.02)


@pytest.mark.parametrize("shape, control, components", [((61, 40, 33), 4, 1), ((17, 9, 1), 5, 3),
                                                         ((23, 23, 23), 7, 2)])
def test_smooth_field_is_the_cubic_zoom_of_its_coarse_grid(shape, control, components):
    """smooth_field's per-axis weights give ndimage.zoom's field (what it was written as)."""
    from scipy import ndimage

    field = synth.smooth_field(shape, np.random.default_rng(5), control, components)
    coarse = np.random.default_rng(5).uniform(-1, 1, size=(components, control, control, control))
    zoom = [n / control for n in shape]
    expected = np.stack([ndimage.zoom(c, zoom, order=3, mode="nearest", grid_mode=True) for c in coarse])
    assert field.shape == expected.shape == (components, *shape)
    np.testing.assert_allclose(field, expected, rtol=0, atol=1e-12)
