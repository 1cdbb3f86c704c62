"""The recipe of the bundled promptable network (``neuroview train --interactive``).

The command line's options reach the trainer, and the sampler's object lists, found once per
anatomy, are exactly the whole-volume searches they replace (so the card's held-out and test
objects stay the ones earlier versions were measured on).
"""

import numpy as np

from neuroview.ai.interactive import train as interactive_train
from neuroview.ai.synth import load_mni_anatomy


def test_command_line_passes_batch_size_and_threads(monkeypatch, tmp_path):
    from neuroview.cli.main import main

    seen = []
    monkeypatch.setattr(interactive_train, "train_interactive", lambda config: seen.append(config))
    code = main(["train", "--interactive", "--out", str(tmp_path / "clickseg"), "--version", "1.1.0",
                 "--batch-size", "4", "--threads", "1", "--minutes", "2", "--iterations", "50"])
    assert code == 0
    config = seen[0]
    assert (config.batch_size, config.threads, config.minutes, config.iterations_per_epoch,
            config.version) == (4, 1, 2.0, 50, "1.1.0")


def test_sampler_object_lists_match_whole_volume_search():
    sampler = interactive_train.ObjectSampler(load_mni_anatomy(), np.random.default_rng(0), 24,
                                              deform=False)
    assert np.array_equal(sampler.centres, np.argwhere(sampler.brain > 0.6))
    labels = sampler.csf_ids[:: max(1, len(sampler.csf_ids) // 12)] + sampler.csf_ids[-1:]
    for label in labels:
        assert np.array_equal(sampler._csf_voxels(label), np.argwhere(sampler.csf == label)), label
    image_before = sampler.image
    sampler._new_base()  # a refresh without deformation: new contrast, same objects
    assert not np.array_equal(sampler.image, image_before)
    assert np.array_equal(sampler.centres, np.argwhere(sampler.brain > 0.6))
