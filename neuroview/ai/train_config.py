"""The settings of one training run (``neuroview train``): what the loop (:mod:`.train`), its
validation (:mod:`.validation`), the samplers (:mod:`.samplers`) and the bundled model's recipe
(:mod:`.lesion_recipe`) read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


@dataclass
class TrainConfig:
    out: Path
    name: str
    version: str = "1.0.0"
    epochs: int = 40
    iterations_per_epoch: int = 60
    minutes: Optional[float] = None
    batch_size: int = 2
    patch: int = 64
    spacing: float = 1.5
    learning_rate: Optional[float] = None
    """AdamW's starting rate; ``None``: 3e-3 from scratch, 1e-3 when fine-tuning (``--base``)."""
    weight_decay: float = 3e-5
    patience: int = 10
    seed: int = 0
    device: str = "cpu"
    threads: int = 2
    base_channels: int = 8
    levels: int = 4
    validation_cases: int = 6  # two each of T1, T2, FLAIR-like heads
    test_cases: int = 12  # per-case Dice scatters widely (small lesions): many cases
    other_cases: int = 8
    resume: bool = False
    mirror_axes: tuple = ()
    """The card's test-time mirroring (axes of the closest-RAS grid; 0 is left-right): the
    finish step tunes the post-processing and measures the held-out cases with it."""
    command: str = ""
    tissue_lesions: float = 1 / 3
    """The synthetic recipe's share of training lesions painted at another tissue's intensity
    (:func:`synth.paint_tissue_lesion`; 0: the recipe before 2.4.0)."""
    workers: int = 0
    """Processes that make the synthetic recipe's patches (0: the training process itself). On a
    GPU the patches, not the network, are the limit: 64^3 patches take about 0.3 s per batch of 4
    on one core."""
    extra: dict = field(default_factory=dict)
