"""Training samples made in worker processes (``neuroview train --workers N``), and the GPU path.

On a GPU the synthetic patches, not the network, limit training, so the recipes can make them in
worker processes. The stream must be the same on every run with the same seed (a training run is
reproducible), each worker must draw its own samples, and the batches must have the shapes the
in-process sampler gives. The CUDA test runs only where a GPU is present.
"""

import numpy as np
import pytest
import torch

from neuroview.ai import samplers
from neuroview.ai.interactive import train as interactive_train
from neuroview.ai.synth import load_mni_anatomy
from neuroview.ai.train_config import TrainConfig


def _config(seed: int = 0) -> TrainConfig:
    return TrainConfig(out=".", name="t", spacing=4.0, patch=16, batch_size=2, seed=seed)


def _first_batches(seed: int, count: int = 4):
    sample = samplers.parallel_sampler(_config(seed), load_mni_anatomy(), workers=2, pool_size=1)
    return [sample(None) for _ in range(count)]


def test_workers_give_the_same_stream_on_every_run_and_different_samples_per_worker():
    first, again = _first_batches(0), _first_batches(0)
    for (images, labels), (images2, labels2) in zip(first, again):
        assert images.shape == (2, 1, 16, 16, 16) and images.dtype == np.float32
        assert labels.shape == (2, 16, 16, 16)
        np.testing.assert_array_equal(images, images2)
        np.testing.assert_array_equal(labels, labels2)
    # batches 0 and 1 come from different workers: different anatomy draws, not copies
    assert not np.array_equal(first[0][0], first[1][0])
    other = _first_batches(1, 1)
    assert not np.array_equal(first[0][0], other[0][0])


def test_in_process_and_worker_samplers_give_batches_of_one_shape():
    config = _config()
    sample = samplers.synthetic_sampler(config, load_mni_anatomy(), pool_size=1)
    images, labels = sample(np.random.default_rng(0))
    w_images, w_labels = _first_batches(0, 1)[0]
    assert (images.shape, images.dtype, labels.shape) == (w_images.shape, w_images.dtype, w_labels.shape)


def test_interactive_cubes_from_workers_are_objects_in_their_cube():
    config = interactive_train.InteractiveConfig(out=".", patch=24, seed=3, workers=1)
    cubes = interactive_train.ParallelCubes(load_mni_anatomy(), config)
    drawn = [cubes.sample() for _ in range(3)]
    for image, truth, spacing, _click in drawn:
        assert image.shape == truth.shape == (24, 24, 24)
        assert truth.any() and 1.0 <= spacing <= config.max_spacing
    assert not np.array_equal(drawn[0][0], drawn[1][0])


def test_command_line_passes_workers_and_device(monkeypatch, tmp_path):
    from neuroview.cli.main import main

    seen = []
    monkeypatch.setattr(interactive_train, "train_interactive", lambda config: seen.append(config))
    assert main(["train", "--interactive", "--out", str(tmp_path / "c"), "--workers", "3",
                 "--minutes", "1"]) == 0
    assert (seen[0].workers, seen[0].device) == (3, "cpu")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_interactive_recipe_trains_on_the_gpu_and_the_card_names_it(tmp_path):
    config = interactive_train.InteractiveConfig(out=tmp_path / "clickseg", version="0.0.1", minutes=0.3,
                                                 iterations_per_epoch=5, batch_size=4, device="cuda",
                                                 workers=2, validation_objects=2)
    folder = interactive_train.train_interactive(config)
    from neuroview.ai.package import load_model

    card = load_model(folder).card
    assert card.training["device"].startswith("cuda (")
    assert card.training["iterations"] >= 5
