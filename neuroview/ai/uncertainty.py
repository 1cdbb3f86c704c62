"""Test-time flips of a registry model: per-flip foreground probabilities on the volume's own grid.

What active learning (``neuroview dataset rank``) and the viewer's uncertainty overlay need from a
model: for each flip, the probability that a voxel is foreground (1 - p(background), i.e. any
label), predicted on the flipped input and flipped back. The input is reoriented, normalised and
resampled to the model's grid once (:func:`neuroview.ai.infer.prepare_stages`, the same code the
segmentation uses); each flip is then one sliding-window pass over the flipped model-space tensor.
Its output is flipped back, resampled linearly to the volume's grid and yielded one flip at a time,
so a caller that accumulates keeps memory at a few float32 volumes.

Flips are tuples of the *volume's* array axes (``()`` = as is, ``(0,)`` = first axis, ...): they
are mapped to the model-space axes those array axes became after reorientation.
"""

from __future__ import annotations

from typing import Iterator, Optional, Sequence

import numpy as np

from ..core.errors import ModelError
from ..core.jobs import CancelToken, ProgressFn, check, report
from ..core.volume import Volume
from .domain import RUN_ANYWAY, not_a_head_line, overridden
from .registry import DEFAULT_TASK

DEFAULT_FLIPS: tuple[tuple[int, ...], ...] = ((), (0,), (1,), (2,))


def _check_flips(flips: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    checked = []
    for flip in flips:
        axes = tuple(sorted({int(a) for a in flip}))
        if any(a not in (0, 1, 2) for a in axes):
            raise ModelError(f"bad flip {tuple(flip)}: axes must be 0, 1 or 2")
        checked.append(axes)
    if not checked:
        raise ModelError("give at least one flip (() is the image as is)")
    return checked


class FlipProbabilities:
    """Iterable of ``len(flips)`` float32 arrays (foreground probability, the volume's shape).

    The model is loaded on construction (a bad model name fails here, before any work); the image
    is prepared when iteration starts. ``model``: registry name, ``name@version``, package path
    (empty: the default model) or a :class:`~neuroview.ai.package.LoadedModel`. After construction
    ``self.model`` is the ``name@version`` used and ``self.device`` its torch device.
    """

    def __init__(self, volume: Volume | Sequence[Volume], model="",
                 flips: Sequence[Sequence[int]] = DEFAULT_FLIPS, device: str = "auto",
                 progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None,
                 task: str = DEFAULT_TASK, allow_domain_mismatch: bool = False) -> None:
        from .infer import choose_device
        from .package import LoadedModel
        from .segment import get_model, image_channels, require_domain

        self.flips = _check_flips(flips)
        self.images, self.ijk_to_ras = image_channels(volume)
        self.loaded = model if isinstance(model, LoadedModel) else get_model(model, task)
        self.model = self.loaded.card.ref
        self.allow_domain_mismatch = allow_domain_mismatch   # refused, else noted (ai.domain)
        _is_ct, refused = require_domain(self.loaded.card, volume, self.images[0], allow_domain_mismatch)
        self.outside_domain = refused
        """The card's refusal the person overrode ("" when none; once iteration has started, also
        one its brain extraction found)."""
        self.refused_note = RUN_ANYWAY if refused else ""
        self.notes: list[str] = []   # what preprocessing skipped, once iteration has started
        self.device = choose_device(device)
        self.progress, self.cancel = progress, cancel

    def __len__(self) -> int:
        return len(self.flips)

    def __iter__(self) -> Iterator[np.ndarray]:
        import torch

        from .infer import from_closest_ras, needed_region, prepare_stages, resample_to_shape
        from .sliding_window import sliding_window

        card = self.loaded.card
        check(self.cancel)
        prepared, tensor, ornt, oriented_shape = prepare_stages(
            card, self.images, self.ijk_to_ras, self.device, self.progress, self.cancel,
            self.allow_domain_mismatch)
        self.notes = list(dict.fromkeys(filter(None, (self.refused_note, *prepared.notes))))
        if prepared.not_a_head and self.allow_domain_mismatch:
            self.outside_domain = "; ".join(filter(None, (
                self.outside_domain, overridden(not_a_head_line(card, prepared.not_a_head)))))
        network = self.loaded.network
        network = network.to(self.device) if hasattr(network, "to") else network
        pad_value = float(tensor.min()) if tensor.numel() else 0.0
        # Only the windows that hold a voxel the model may report on (the brain and its margin) run,
        # as in segmentation: on a head two of three windows lie outside it.
        needed = needed_region(prepared.allowed, ornt, tensor.shape[1:])
        count = len(self.flips)
        for index, flip in enumerate(self.flips):
            # Volume axis a became model-space axis ornt[a, 0]; tensor dims are (C, X, Y, Z).
            dims = [int(ornt[a, 0]) + 1 for a in flip]
            data = torch.flip(tensor, dims) if dims else tensor

            def per_flip(done, total, text="", index=index):
                report(self.progress, index * total + done, count * total,
                       f"flip {index + 1}/{count}: {text}")

            region = np.flip(needed, [d - 1 for d in dims]) if needed is not None and dims else needed
            probabilities = sliding_window(network, data, card.patch_size, card.n_classes,
                                           card.overlap, 2, self.device, pad_value=pad_value,
                                           progress=per_flip, cancel=self.cancel, needed=region)
            del data
            foreground = (1.0 - probabilities[0].float()).clamp_(0.0, 1.0)
            del probabilities
            if dims:
                foreground = torch.flip(foreground, [d - 1 for d in dims])
            check(self.cancel)
            on_grid = resample_to_shape(foreground.numpy(), oriented_shape, order=1)
            on_grid = prepared.restrict_probability(np.clip(from_closest_ras(on_grid, ornt), 0.0, 1.0))
            yield np.ascontiguousarray(on_grid, dtype=np.float32)


def flip_probabilities(volume: Volume | Sequence[Volume], model="",
                       flips: Sequence[Sequence[int]] = DEFAULT_FLIPS, device: str = "auto",
                       progress: Optional[ProgressFn] = None,
                       cancel: Optional[CancelToken] = None,
                       allow_domain_mismatch: bool = False) -> np.ndarray:
    """All flips at once: ``(len(flips), *volume.shape)`` float32 (see :class:`FlipProbabilities`)."""
    flipped = FlipProbabilities(volume, model, flips, device, progress, cancel,
                                allow_domain_mismatch=allow_domain_mismatch)
    images = flipped.images
    out = np.empty((len(flipped),) + tuple(np.shape(images[0])), dtype=np.float32)
    for index, p in enumerate(flipped):
        out[index] = p
    return out
