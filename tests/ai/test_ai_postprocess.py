"""The card's post-processing of a segmenter's labels (neuroview.ai.infer): a region the model is
not sure of anywhere is dropped (``min_component_probability``), and so is a region whose
intensity is the tissue's around it (``min_component_contrast``): a bright or a dark lesion
stays, a patch of white matter called lesion goes, and the zeros outside a skull-stripped brain
do not count as surroundings."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from neuroview.ai.infer import drop_flat_components, drop_weak_components  # noqa: E402


def _brain():
    rng = np.random.default_rng(0)
    image = np.full((48, 48, 48), -3.0, np.float32)  # outside the brain: the normalised zeros
    image[4:44, 4:44, 4:44] = 1.0 + rng.normal(0, 0.05, (40, 40, 40))  # white matter
    labels = np.zeros(image.shape, np.uint8)
    for (x, y, z), level in (((12, 12, 12), 2.5), ((30, 12, 12), -0.5), ((12, 30, 30), 1.0)):
        image[x - 3:x + 3, y - 3:y + 3, z - 3:z + 3] = level  # bright, dark, white matter
        labels[x - 3:x + 3, y - 3:y + 3, z - 3:z + 3] = 1
    labels[3:6, 24:27, 24:27] = 1  # a bright rim at the brain's edge: around it mostly zeros
    image[3:6, 24:27, 24:27] = 2.5
    return image, labels


def test_a_region_like_the_tissue_around_it_is_dropped_bright_and_dark_lesions_stay():
    image, labels = _brain()
    kept = drop_flat_components(labels.copy(), image, 0.5)
    assert kept[12, 12, 12] and kept[30, 12, 12] and kept[4, 25, 25]
    assert not kept[12, 30, 30]
    assert kept.sum() == labels.sum() - 6 ** 3


def test_no_threshold_keeps_everything():
    image, labels = _brain()
    assert (drop_flat_components(labels.copy(), image, None) == labels).all()
    assert (drop_flat_components(labels.copy(), image, 0) == labels).all()


def test_a_region_the_model_is_nowhere_sure_of_is_dropped():
    labels = np.zeros((10, 10, 10), np.uint8)
    labels[1:3, 1:3, 1:3] = 1
    labels[6:8, 6:8, 6:8] = 1
    best = np.full(labels.shape, 0.6, np.float32)
    best[7, 7, 7] = 0.995
    kept = drop_weak_components(labels.copy(), best, 0.99)
    assert not kept[1:3, 1:3, 1:3].any() and kept[6:8, 6:8, 6:8].all()
