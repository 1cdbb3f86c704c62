"""The bundled promptable network as a :class:`.engine.PromptableModel` (needs torch).

A package is an ordinary neuroview model package (card + safetensors weights, never unpickled)
whose card says ``training.task == "interactive"`` and whose inputs are :data:`.roi.CHANNELS`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import numpy as np
import torch

from ...core.errors import ModelError
from ...paths import resources_dir
from ..networks import run_network, size_divisor, stop_between_layers
from ..package import load_model
from ..registry import BUNDLED_DEFAULTS, INTERACTIVE_TASK
from ..sliding_window import mirror_flips
from .roi import CHANNELS

BUNDLED = BUNDLED_DEFAULTS[INTERACTIVE_TASK]


def bundled_path() -> Path:
    return resources_dir() / "models" / BUNDLED


def is_promptable(card) -> bool:
    return card.training.get("task") == "interactive" and list(card.input_channels) == list(CHANNELS)


class NetworkPromptModel:
    """A promptable network package, run on CPU (or ``device``) with ``threads`` torch threads."""

    def __init__(self, path: Optional[str | os.PathLike] = None, device: str = "cpu",
                 threads: Optional[int] = None) -> None:
        loaded = load_model(path or bundled_path())
        card = loaded.card
        if not is_promptable(card):
            raise ModelError(f"{card.ref} is not a promptable model (its inputs are "
                             f"{card.input_channels}, a promptable one takes {list(CHANNELS)})",
                             path=loaded.path)
        self.card, self.name = card, card.ref
        self.network = loaded.network.to(device).eval()
        self.device = torch.device(device)
        self.spacing_mm = float(card.target_spacing[0])
        # the spacings its ROI may take (coarser for large objects); older cards: one spacing
        self.max_spacing_mm = float(card.training.get("roi_spacing_mm", [self.spacing_mm] * 2)[1])
        self.min_side = int(card.patch_size[0])
        self.divisor = size_divisor(card.architecture, card.hyperparameters)
        self.flips = mirror_flips(card.mirror_axes)  # the card's test-time mirroring, as for segmenters
        stop_between_layers(self.network)
        if threads:
            torch.set_num_threads(threads)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """The object's probability; with the card's ``mirror_axes``, the mean over the cube
        mirrored along every combination of them, run as one batch (8 mirrorings of a 32^3 cube
        cost about 4 times one on a CPU, which runs a single cube as two anyway)."""
        tensor = torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32))[None].to(self.device)
        batch = torch.cat([torch.flip(tensor, flip) if flip else tensor for flip in self.flips])
        with torch.inference_mode():
            probability = torch.softmax(run_network(self.network, batch).float(), 1)[:, 1:2]
        total = sum(torch.flip(probability[i:i + 1], flip) if flip else probability[i:i + 1]
                    for i, flip in enumerate(self.flips))
        return (total[0, 0] / len(self.flips)).cpu().numpy()
