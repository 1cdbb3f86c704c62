"""Where training batches come from: the bundled recipe's synthetic patches
(:func:`synthetic_sampler`), drawn in worker processes (:func:`parallel_sampler` on
:func:`worker_stream`, which the promptable model's recipe uses too)."""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from .train_config import TrainConfig


def synthetic_sampler(config: TrainConfig, anatomy, pool_size: int = 10, redeform_every: int = 500,
                      recontrast_every: int = 20):
    """Batches of patches from a pool of deformed anatomies, each painted with a synthesised
    contrast (:mod:`.contrast`); one anatomy is deformed anew every ``redeform_every`` batches
    (seconds of CPU) and one image repainted every ``recontrast_every`` (a fraction of one).
    The pool is made at the first batch (the same draws): a run that trains no batch (a resumed
    run whose time was spent, one refused for another base) spends no seconds deforming."""
    from . import contrast, synth

    rng = np.random.default_rng(config.seed + 1)
    tissues, bases = [], []
    calls = {"n": 0}

    def sample(batch_rng: np.random.Generator):
        if not tissues:
            tissues.extend(contrast.deformed_tissues(anatomy, rng, config.spacing) for _ in range(pool_size))
            bases.extend(contrast.base_case(t, rng) for t in tissues)
        calls["n"] += 1
        if calls["n"] % redeform_every == 0:
            index = int(rng.integers(pool_size))
            tissues[index] = contrast.deformed_tissues(anatomy, rng, config.spacing)
            bases[index] = contrast.base_case(tissues[index], rng)
        elif calls["n"] % recontrast_every == 0:
            index = int(rng.integers(pool_size))
            bases[index] = contrast.base_case(tissues[index], rng)
        pairs = [synth.training_patch(bases[int(batch_rng.integers(pool_size))], batch_rng,
                                      config.patch, config.spacing, in_brain=0.65, with_lesions=0.7,
                                      on_edge=0.25, tissue_share=config.tissue_lesions)
                 for _ in range(config.batch_size)]
        return (np.stack([p[0] for p in pairs])[:, None].astype(np.float32),
                np.stack([p[1] for p in pairs]))

    return sample


class _WorkerStream(torch.utils.data.IterableDataset):
    """Endless items of ``make(worker)()``: each DataLoader worker process builds its own source."""

    def __init__(self, make: Callable[[int], Callable[[], object]]) -> None:
        super().__init__()
        self.make = make

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        torch.set_num_threads(1)
        draw = self.make(info.id if info is not None else 0)
        while True:
            yield draw()


def _as_is(item):
    return item


def worker_stream(make: Callable[[int], Callable[[], object]], workers: int, prefetch: int = 4):
    """An endless iterator over ``make(worker)()`` drawn in ``workers`` processes (the training
    recipes' samples: on a GPU they, not the network, are the limit). Items come as drawn."""
    loader = torch.utils.data.DataLoader(_WorkerStream(make), batch_size=None, num_workers=workers,
                                         prefetch_factor=prefetch, persistent_workers=True,
                                         collate_fn=_as_is)
    return iter(loader)


def _synthetic_draw(config: TrainConfig, anatomy, pool_size: int, rank: int, worker: int):
    import dataclasses

    seed = config.seed + 7919 * (worker + 1) + 104_729 * rank
    sample = synthetic_sampler(dataclasses.replace(config, seed=seed), anatomy, pool_size)
    rng = np.random.default_rng(seed + 1)
    return lambda: sample(rng)


def parallel_sampler(config: TrainConfig, anatomy, workers: int, pool_size: int = 10,
                     rank: int = 0) -> Callable[[np.random.Generator], tuple]:
    """:func:`synthetic_sampler` run in ``workers`` processes (each with its own pool of
    anatomies and seed; the stream is the same on every run with the same seed): a function
    like the one :func:`synthetic_sampler` returns, which ignores its generator."""
    import functools

    batches = worker_stream(functools.partial(_synthetic_draw, config, anatomy, pool_size, rank), workers)
    return lambda _rng: next(batches)
