"""The sliding window of :mod:`.infer`, MONAI-equivalent (same window positions, Gaussian
importance map and weighted average as ``sliding_window_inference``), with nnU-Net's windows and
Gaussian as an option, mirroring test-time augmentation, a progress callback per patch and cancel
between patches."""

from __future__ import annotations

import itertools
import math
from typing import Optional, Sequence

import numpy as np
import torch
from scipy import ndimage

from ..core.errors import ModelError
from ..core.jobs import CancelToken, ProgressFn, cancel_scope, check, report
from .networks import run_network, stop_between_layers


def gaussian_importance(patch: Sequence[int], sigma_scale: float = 0.125) -> np.ndarray:
    """MONAI's ``compute_importance_map(mode="gaussian")``: separable, centred, min clamped 1e-3."""
    weights = None
    for size in patch:
        x = np.arange(size, dtype=np.float32) - (size - 1) / 2.0
        g = np.exp(x ** 2 / (-2 * (size * sigma_scale) ** 2)).astype(np.float32)
        weights = g if weights is None else weights[..., None] * g
    return np.maximum(weights, max(float(weights.min()), 1e-3)).astype(np.float32)


def window_starts(image_size: Sequence[int], patch: Sequence[int], overlap: float) -> list[tuple]:
    """Window start indices as MONAI's ``dense_patch_slices`` places them."""
    per_axis = []
    for size, roi in zip(image_size, patch):
        interval = roi if roi == size else max(int(roi * (1 - overlap)), 1)
        count = next((d for d in range(math.ceil(size / interval)) if d * interval + roi >= size), 0) + 1
        per_axis.append([min(i * interval, size - roi) for i in range(count)])
    return list(itertools.product(*per_axis))


def nnunet_gaussian(patch: Sequence[int], sigma_scale: float = 0.125) -> np.ndarray:
    """nnU-Net v2's ``compute_gaussian``: a delta at ``size // 2`` blurred by scipy (truncated at
    4 sigma), max 10 in float16, zeros raised to the smallest nonzero value."""
    delta = np.zeros(tuple(patch), np.float64)
    delta[tuple(p // 2 for p in patch)] = 1.0
    weights = ndimage.gaussian_filter(delta, [p * sigma_scale for p in patch], 0, mode="constant", cval=0)
    # nnU-Net scales to max 10 and stores float16, where the far corners underflow to 0 and are
    # raised to the smallest nonzero value: done the same way so that the weights are its own.
    weights = (weights / (weights.max() / 10.0)).astype(np.float16)
    weights[weights == 0] = weights[weights > 0].min()
    return weights.astype(np.float32)


def nnunet_window_starts(image_size: Sequence[int], patch: Sequence[int], step: float) -> list[tuple]:
    """Window starts as nnU-Net v2's ``compute_steps_for_sliding_window`` spreads them evenly."""
    per_axis = []
    for size, roi in zip(image_size, patch):
        count = int(np.ceil((size - roi) / (roi * step))) + 1
        stride = (size - roi) / (count - 1) if count > 1 else 0.0
        per_axis.append([int(np.round(stride * i)) for i in range(count)])
    return list(itertools.product(*per_axis))


def mirror_flips(mirror_axes: Sequence[int]) -> list[tuple[int, ...]]:
    """The flips (tensor dimensions, batch and channel first) of test-time mirroring along
    ``mirror_axes``: every combination, the unflipped one first."""
    combos = [()]
    for n in range(1, len(mirror_axes) + 1):
        combos.extend(itertools.combinations([a + 2 for a in mirror_axes], n))
    return combos


def sliding_window(network, image: torch.Tensor, patch: Sequence[int], n_classes: int,
                   overlap: float = 0.25, batch_size: int = 1, device: str | torch.device = "cpu",
                   softmax: bool = True, mirror_axes: Sequence[int] = (), amp: bool = True,
                   pad_value: float = 0.0, accumulate_dtype: str = "auto",
                   progress: Optional[ProgressFn] = None,
                   cancel: Optional[CancelToken] = None, style: str = "monai",
                   needed: Optional[np.ndarray] = None) -> torch.Tensor:
    """Class probabilities ``(n_classes, X, Y, Z)`` (CPU) of ``image`` ``(C, X, Y, Z)``.

    Windows of ``patch`` overlap by ``overlap``; each window's softmax is weighted by the Gaussian
    importance map and the sum divided by the summed weights. ``mirror_axes`` averages the
    predictions of the flipped windows. Progress is reported after each batch of windows;
    ``cancel`` is looked at before each network run (a batch of windows, one mirroring), and
    within it between two layers of a torch module (``networks.stop_between_layers``) and
    between two nodes of an ONNX graph (``onnx_session.run_stoppable``). ``style="nnunet"``
    places the windows and weights them as nnU-Net v2's predictor does (``overlap`` is then its
    ``tile_step_size``); pass ``softmax=False`` too to average logits as it does.

    ``needed`` (bool, the image's spatial shape) skips the windows that hold none of its voxels:
    every needed voxel gets exactly the value of a full run (the windows that cover it all run),
    the voxels no window ran over get zeros. On a head whose model reports only in the brain, two
    of every three windows lie outside it.
    """
    device = torch.device(device)
    patch = tuple(int(p) for p in patch)
    size_in = tuple(image.shape[1:])
    pads = [(max(p - s, 0) // 2, max(p - s, 0) - max(p - s, 0) // 2) for p, s in zip(patch, size_in)]
    if any(a or b for a, b in pads):
        flat = [v for pair in reversed(pads) for v in pair]
        image = torch.nn.functional.pad(image, flat, value=pad_value)
        if needed is not None:
            needed = np.pad(needed, pads)
    size = tuple(image.shape[1:])
    if style == "nnunet":
        starts = nnunet_window_starts(size, patch, overlap)
        weight = torch.from_numpy(nnunet_gaussian(patch))
    else:
        starts = window_starts(size, patch, overlap)
        weight = torch.from_numpy(gaussian_importance(patch))
    if needed is not None:
        starts = [st for st in starts if needed[tuple(slice(s, s + p) for s, p in zip(st, patch))].any()]
    voxels = int(np.prod(size))
    dtype = _accumulator_dtype(accumulate_dtype, n_classes * voxels)
    output = torch.zeros((n_classes,) + size, dtype=dtype)
    norm = torch.zeros(size, dtype=torch.float32)
    for start in starts:
        norm[tuple(slice(s, s + p) for s, p in zip(start, patch))] += weight
    weight_dev = weight.to(device)
    flips = mirror_flips(mirror_axes)
    use_amp = amp and device.type == "cuda"
    total = len(starts)
    report(progress, 0, total, f"0/{total} patches")
    stop_between_layers(network)
    with torch.inference_mode(), cancel_scope(cancel):
        for first in range(0, total, batch_size):
            check(cancel)
            batch_starts = starts[first:first + batch_size]
            windows = torch.stack([image[(slice(None),) + tuple(slice(s, s + p) for s, p in zip(st, patch))]
                                   for st in batch_starts]).to(device)
            prediction = None
            for flip in flips:
                check(cancel)   # a TorchScript network stops only between its runs
                data = torch.flip(windows, flip) if flip else windows
                with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=use_amp):
                    logits = run_network(network, data)
                logits = logits.float()
                out = torch.softmax(logits, dim=1) if softmax else logits
                if flip:
                    out = torch.flip(out, flip)
                prediction = out if prediction is None else prediction + out
            prediction = (prediction / len(flips)) * weight_dev
            prediction = prediction.to("cpu", dtype)
            for st, pred in zip(batch_starts, prediction):
                if pred.shape[0] != n_classes:
                    raise ModelError(f"model gave {pred.shape[0]} output channels, its card says "
                                     f"{n_classes}")
                output[(slice(None),) + tuple(slice(s, s + p) for s, p in zip(st, patch))] += pred
            done = min(first + batch_size, total)
            report(progress, done, total, f"{done}/{total} patches")
    output /= norm.clamp_min(1e-6).to(dtype)
    if any(a or b for a, b in pads):
        output = output[(slice(None),) + tuple(slice(a, a + s) for (a, _), s in zip(pads, size_in))]
    return output


def _accumulator_dtype(choice: str, elements: int) -> torch.dtype:
    if choice == "float32":
        return torch.float32
    if choice == "float16":
        return torch.float16
    try:
        import psutil

        available = psutil.virtual_memory().available
    except ImportError:  # psutil is optional: assume enough
        return torch.float32
    # float32 while the accumulator takes under a quarter of the free memory, else float16.
    return torch.float32 if elements * 4 < available / 4 else torch.float16
