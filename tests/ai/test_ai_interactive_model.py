"""The bundled promptable network (``resources/models/clickseg``) reaches its card's click metrics.

The test makes its own objects (lesions and CSF blobs in the undeformed MNI template, drawn as the
card's training drew them (ROI spacings, contrasts), other seeds than the card's) and runs the
same simulated user; the mean Dice after 1 and 3 clicks must reach
the card's value within two standard errors of the card's per-object spread.
"""

import numpy as np
import pytest

from neuroview.ai.interactive.card_metrics import card_objects, click_runs
from neuroview.ai.interactive.model import NetworkPromptModel, bundled_path

pytestmark = pytest.mark.skipif(not (bundled_path() / "model.json").exists(), reason="no bundled clickseg")
OBJECTS = 8


@pytest.fixture(scope="module")
def model_and_runs():
    model = NetworkPromptModel()
    return model, click_runs(model.network, card_objects(model.card, OBJECTS, seed=40_000))


def test_bundled_click_model_reaches_its_card_metrics(model_and_runs):
    model, runs = model_and_runs
    card = model.card.metrics["test_objects"]
    for column, key in ((0, "dice_1_click"), (2, "dice_3_clicks")):
        tolerance = 2 * card[key + "_sd"] / np.sqrt(OBJECTS)
        assert runs[:, column].mean() >= card[key] - tolerance, (key, runs[:, column].mean(), card[key])


def test_more_clicks_do_not_make_it_worse_on_average(model_and_runs):
    _model, runs = model_and_runs
    assert runs[:, 2].mean() >= runs[:, 0].mean() - 0.02


def test_card_mirroring_averages_the_answers_on_the_mirrored_cubes():
    """With the card's ``mirror_axes`` the answer is the mean of the plain answers on the cube
    mirrored along each combination of them, each mirrored back (checked one cube at a time
    with numpy, against the one-batch torch version)."""
    from neuroview.ai.sliding_window import mirror_flips

    model = NetworkPromptModel()
    assert model.flips == mirror_flips(model.card.mirror_axes)  # the card decides
    model.flips = [()]  # the plain answer
    rng = np.random.default_rng(5)
    inputs = np.zeros((5, 32, 32, 32), np.float32)
    inputs[0] = rng.standard_normal((32, 32, 32))
    inputs[1, 10:14, 8:12, 15:19] = 1.0  # an include click off the centre: not symmetric
    plain = model.predict(inputs)
    expected = np.zeros_like(plain)
    axes_sets = [(), (0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)]
    for axes in axes_sets:
        flipped = np.flip(inputs, [a + 1 for a in axes]) if axes else inputs
        answer = model.predict(flipped)
        expected += np.flip(answer, axes) if axes else answer
    expected /= len(axes_sets)
    model.flips = mirror_flips([0, 1, 2])
    mirrored = model.predict(inputs)
    np.testing.assert_allclose(mirrored, expected, atol=1e-5)
    assert np.abs(mirrored - plain).max() > 1e-3  # the mirroring changed the answer


def test_the_image_is_normalised_as_the_models_card_says():
    """The engine takes the card's clip percentiles (it used the defaults whatever the card said):
    a card without an upper clip keeps a bright lesion above the 99.5th percentile."""
    from types import SimpleNamespace

    import numpy as np

    from neuroview.ai.interactive.engine import InteractiveSegmenter

    image = np.random.default_rng(0).uniform(100, 200, (40, 40, 40)).astype(np.float32)
    image[18:22, 18:22, 18:22] = 400  # a small bright lesion: 0.1 % of the image
    stats = {}
    for clip in ((0.5, 99.5), (0.5, 100.0)):
        card = SimpleNamespace(normalization={"scheme": "zscore_foreground", "clip_percentiles": list(clip)})
        model = SimpleNamespace(card=card, spacing_mm=1.0)
        stats[clip] = InteractiveSegmenter(image, np.eye(4), model).stats
    assert stats[(0.5, 99.5)].high < 201
    assert stats[(0.5, 100.0)].high > 400
