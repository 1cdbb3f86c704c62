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
from ..networks import run_network, size_divisor
from ..package import load_model
from .roi import CHANNELS

BUNDLED = "clickseg"


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
        if threads:
            torch.set_num_threads(threads)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        tensor = torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32))[None].to(self.device)
        with torch.inference_mode():
            logits = run_network(self.network, tensor)
        return torch.softmax(logits, 1)[0, 1].float().cpu().numpy()
