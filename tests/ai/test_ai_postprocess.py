"""The card's post-processing of a segmenter's labels (neuroview.ai.infer): a region the model is
not sure of anywhere is dropped (``min_component_probability``), and so is a region whose
intensity is the tissue's around it (``min_component_contrast``): a bright or a dark lesion
stays, a patch of white matter called lesion goes, and the zeros outside a skull-stripped brain
do not count as surroundings."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from neuroview.ai.postprocess import drop_flat_components, drop_weak_components  # noqa: E402


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


def _ball(shape, centre, radius):
    grid = np.indices(shape).transpose(1, 2, 3, 0)
    return np.linalg.norm(grid - np.asarray(centre), axis=-1) <= radius


def _probability_map():
    """A lesion the model is sure of at its core (p 0.995 within 3 voxels) and unsure of in the
    rest (p 0.3 out to 7 voxels); a blob it is nowhere sure of (p 0.45); a small sure speck (8
    voxels, p 0.999); background p 0.01."""
    shape = (40, 40, 40)
    p = np.full(shape, 0.01, np.float32)
    lesion = _ball(shape, (12, 20, 20), 7)
    p[lesion] = 0.3
    p[_ball(shape, (12, 20, 20), 3)] = 0.995
    p[_ball(shape, (31, 20, 20), 5)] = 0.45
    p[30:32, 5:7, 5:7] = 0.999
    return p, lesion


def _run(p, rules, card_factory, threshold_net):
    """``run_model`` with a voxelwise network whose foreground probability is ``p``: the image is
    its logit, the card normalises nothing and its grid is the image's."""
    from neuroview.ai.api import SegmentationRequest
    from neuroview.ai.infer import run_model
    from neuroview.ai.package import LoadedModel

    image = np.log(p / (1 - p)).astype(np.float32)
    card = card_factory(normalization={"scheme": "none"}, target_spacing=(1.0, 1.0, 1.0),
                        postprocessing=rules)
    model = LoadedModel(card, threshold_net(0.0, 1.0), "", "safetensors")
    return run_model(model, SegmentationRequest([image], np.eye(4), device="cpu")).labels


def test_a_found_lesion_is_marked_whole_out_to_the_extent_probability(card_factory, threshold_net):
    p, lesion = _probability_map()
    rules = {"min_component_probability": 0.99, "extent_probability": 0.2}
    labels = _run(p, rules, card_factory, threshold_net)
    speck = np.zeros(p.shape, bool)
    speck[30:32, 5:7, 5:7] = True
    assert np.array_equal(labels == 1, lesion | speck)  # the whole lesion; not the unsure blob
    # the argmax extent (the old rule) marks only the sure core
    core = _run(p, {"min_component_probability": 0.99}, card_factory, threshold_net)
    assert (core == 1).sum() == _ball(p.shape, (12, 20, 20), 3).sum() + 8


def test_regions_smaller_than_the_smallest_volume_are_dropped(card_factory, threshold_net):
    p, lesion = _probability_map()
    rules = {"min_component_probability": 0.99, "extent_probability": 0.2, "min_component_mm3": 30}
    labels = _run(p, rules, card_factory, threshold_net)
    assert np.array_equal(labels == 1, lesion)  # the 8 mm3 speck is gone, the lesion stays


def test_with_the_extent_rule_only_the_background_is_brought_back(card_factory, threshold_net, monkeypatch):
    """With a card's extent rule the argmax and its probability are not read (the rule's
    foreground probability replaces them), so a two-class model's foreground channel is not
    resampled onto the image (one 1 mm head's worth of float64 trilinear, 0.3 s): one channel
    resampled, not two, the same labels; without the rule both, for the argmax."""
    import sys

    from neuroview.ai import infer

    p, lesion = _probability_map()
    speck = np.zeros(p.shape, bool)
    speck[30:32, 5:7, 5:7] = True
    resampled, real = [], infer.resample_to_shape

    def recording(array, shape, order):
        if sys._getframe(1).f_code.co_name == "_labels_on_shape":
            resampled.append(float(np.max(array)))
        return real(array, shape, order)

    monkeypatch.setattr(infer, "resample_to_shape", recording)
    rules = {"min_component_probability": 0.99, "extent_probability": 0.2}
    labels = _run(p, rules, card_factory, threshold_net)
    assert np.array_equal(labels == 1, lesion | speck)
    assert len(resampled) == 1 and resampled[0] > 0.99        # the background's channel
    resampled.clear()
    _run(p, {"min_component_probability": 0.99}, card_factory, threshold_net)
    assert len(resampled) == 2


def test_the_recipe_post_processes_as_inference_does(card_factory, threshold_net):
    """The training recipe measures and tunes with ``labels_from_probabilities``: on the same
    probabilities it gives the labels inference gives, for old and new cards alike."""
    from neuroview.ai.validation import labels_from_probabilities

    p, _ = _probability_map()
    probs = np.stack([1 - p, p])
    for rules in ({}, {"min_component_probability": 0.99},
                  {"min_component_probability": 0.99, "extent_probability": 0.2, "min_component_mm3": 30}):
        expected = _run(p, rules, card_factory, threshold_net)
        assert np.array_equal(labels_from_probabilities(probs, rules, np.log(p / (1 - p))), expected)


def test_a_less_sure_region_is_kept_when_it_is_strongly_unlike_its_surroundings():
    from neuroview.ai.postprocess import postprocess

    image, labels = _brain()  # bright (+1.5 z), dark (-1.5 z), white matter (0) and an edge rim
    best = np.where(labels > 0, 0.7, 0.99).astype(np.float32)  # the model half sure of every region
    best[12, 30, 30] = 0.999  # but sure of the patch of white matter
    rules = {"min_component_probability": 0.99, "strong_contrast": 1.0, "strong_contrast_probability": 0.5}
    kept = postprocess(labels.copy(), best, best, labels, image, rules, 1.0)
    assert kept[12, 12, 12] and kept[30, 12, 12] and kept[4, 25, 25]  # strongly unlike: kept
    assert kept[12, 30, 30]  # sure (and no contrast asked of a sure region)
    rules["min_component_contrast"] = 0.5
    assert not postprocess(labels.copy(), best, best, labels, image, rules, 1.0)[12, 30, 30]
    rules["strong_contrast"] = 5.0  # nothing is that unlike its surroundings: only sure regions
    assert not postprocess(labels.copy(), best, best, labels, image, rules, 1.0).any()


def test_the_extent_of_a_three_label_model_takes_the_likeliest_label_other_than_background():
    import torch

    from neuroview.ai.infer import _labels_on_shape

    # two voxels where background wins the argmax: the foreground is 0.5 and 0.6, the likeliest
    # label other than background 1 in the first and 2 in the second
    probabilities = torch.tensor([[0.5, 0.4], [0.3, 0.25], [0.2, 0.35]]).reshape(3, 2, 1, 1)
    labels, best, foreground, foreground_labels = _labels_on_shape(probabilities, (2, 1, 1), None, True)
    assert labels.ravel().tolist() == [0, 0]
    assert np.allclose(foreground.ravel(), [0.5, 0.6]) and foreground_labels.ravel().tolist() == [1, 2]
    assert _labels_on_shape(probabilities, (2, 1, 1), None)[2] is None  # not kept unless asked for


@pytest.mark.parametrize("spacing, thick", [((1.0, 1.0, 5.0), True), ((5.0, 1.0, 1.0), True),
                                            ((1.0, 1.0, 1.0), False), ((1.0, 1.0, 1.5), False)])
def test_a_thick_sliced_image_gets_the_cards_thick_slice_post_processing(spacing, thick, card_factory,
                                                                          threshold_net):
    """A card's ``postprocessing_thick`` is used where one voxel side is at least twice another
    (brain extraction's test); ``postprocessing`` elsewhere, and everywhere on a card without it."""
    from neuroview.ai.api import SegmentationRequest
    from neuroview.ai.infer import run_model
    from neuroview.ai.package import LoadedModel

    p, _ = _probability_map()
    image = np.log(p / (1 - p)).astype(np.float32)
    core, blob = _ball(p.shape, (12, 20, 20), 3), _ball(p.shape, (31, 20, 20), 5)
    speck = np.zeros(p.shape, bool)
    speck[30:32, 5:7, 5:7] = True
    normal = {"min_component_probability": 0.99}
    thick_rules = {"min_component_probability": 0.4, "extent_probability": 0.4}  # the 0.45 blob too
    for rules_thick, expected in ((thick_rules, core | speck | (blob if thick else False)),
                                  ({}, core | speck)):
        card = card_factory(normalization={"scheme": "none"}, target_spacing=spacing,
                            postprocessing=normal, postprocessing_thick=rules_thick)
        model = LoadedModel(card, threshold_net(0.0, 1.0), "", "safetensors")
        affine = np.diag(list(spacing) + [1.0])
        labels = run_model(model, SegmentationRequest([image], affine, device="cpu")).labels
        assert np.array_equal(labels == 1, expected)
