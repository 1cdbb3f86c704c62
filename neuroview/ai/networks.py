"""Network architectures a model card may name, built from their hyperparameters.

A model package stores weights only (safetensors); the code that computes with them lives here and
is chosen by the card's ``architecture`` field. An unknown name is a :class:`ModelError`, so a
package can never bring its own code. ``unet3d`` is a compact 3D U-Net in the style of nnU-Net
(two 3x3x3 convolutions per level, instance norm, leaky ReLU, strided convolutions down, transposed
convolutions up). It is written here rather than taken from MONAI because MONAI is a test-only
dependency of neuroview and this network is 60 lines.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..core.errors import ModelError
from ..core.jobs import check_scope


class _ConvBlock(nn.Sequential):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__(
            nn.Conv3d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
            nn.InstanceNorm3d(out_channels, affine=True),
            nn.LeakyReLU(0.01, inplace=True),
            nn.Conv3d(out_channels, out_channels, 3, padding=1, bias=False),
            nn.InstanceNorm3d(out_channels, affine=True),
            nn.LeakyReLU(0.01, inplace=True),
        )


class UNet3D(nn.Module):
    """3D U-Net: ``levels`` resolutions, ``base_channels`` doubling per level (capped at 320).

    Input ``(N, in_channels, X, Y, Z)`` with each spatial size divisible by ``2**(levels-1)``;
    output ``(N, out_channels, X, Y, Z)`` logits.
    """

    def __init__(self, in_channels: int = 1, out_channels: int = 2, base_channels: int = 8,
                 levels: int = 4) -> None:
        super().__init__()
        if levels < 2:
            raise ModelError(f"unet3d needs at least 2 levels, got {levels}")
        widths = [min(base_channels * 2 ** i, 320) for i in range(levels)]
        self.widths = widths
        self.encoders = nn.ModuleList()
        previous = in_channels
        for level, width in enumerate(widths):
            self.encoders.append(_ConvBlock(previous, width, stride=1 if level == 0 else 2))
            previous = width
        self.upsamplers = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for level in range(levels - 1, 0, -1):
            self.upsamplers.append(nn.ConvTranspose3d(widths[level], widths[level - 1], 2, stride=2))
            self.decoders.append(_ConvBlock(2 * widths[level - 1], widths[level - 1]))
        self.head = nn.Conv3d(widths[0], out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for encoder in self.encoders:
            x = encoder(x)
            skips.append(x)
        skips.pop()
        for upsample, decoder in zip(self.upsamplers, self.decoders):
            x = upsample(x)
            x = decoder(torch.cat([x, skips.pop()], dim=1))
        return self.head(x)


ARCHITECTURES: dict[str, type[nn.Module]] = {"unet3d": UNet3D}


def run_network(network, batch: torch.Tensor) -> torch.Tensor:
    """``network(batch)``, with a batch of one run as two copies of itself on a CPU.

    PyTorch sends a 3D convolution whose batch is one and whose input has few channels to its slow
    reference kernel rather than to oneDNN (``ConvParams::use_mkldnn`` in ATen counts the batch and
    only the first two spatial sizes), so one 32^3 patch of the bundled models took twice as long
    as two (``bench/network_batch.py``). Instance norm works per sample, so the copy changes nothing.
    """
    if batch.shape[0] == 1 and batch.device.type == "cpu" and isinstance(network, nn.Module):
        return network(torch.cat([batch, batch]))[:1]
    return network(batch)


def stop_between_layers(network) -> None:
    """Make each of ``network``'s layers (its modules without children) look at the calling
    thread's cancel token (``core.jobs.cancel_scope``) before it runs, once per network: an AI
    click answer abandoned with Esc, or a Segment cancelled, then ends within a layer, not after
    the whole run (1.15 s alone, 2.14 s after an Esc before, ``bench/click_after_cancel.py``).
    A TorchScript network takes no hooks (it stops between runs: the sliding window looks
    between every window batch and mirroring); ONNX stops through its run options
    (``onnx_session.run_stoppable``)."""
    if not isinstance(network, nn.Module) or isinstance(network, torch.jit.ScriptModule) \
            or getattr(network, "_neuroview_stops", False):
        return
    for module in network.modules():
        if next(module.children(), None) is None:
            module.register_forward_pre_hook(_stop_if_cancelled)
    network._neuroview_stops = True


def _stop_if_cancelled(_module, _inputs) -> None:
    check_scope()


def build_network(architecture: str, hyperparameters: dict[str, Any]) -> nn.Module:
    """The network named by a model card, or :class:`ModelError` for an unknown one."""
    try:
        cls = ARCHITECTURES[architecture]
    except KeyError:
        raise ModelError(f"unknown architecture {str(architecture)[:40]!r}",
                         hint=f"known: {', '.join(sorted(ARCHITECTURES))}") from None
    try:
        return cls(**hyperparameters)
    except TypeError as exc:
        raise ModelError(f"bad hyperparameters for {architecture}: {exc}") from None


def widen_unet3d(state: dict[str, torch.Tensor], hyperparameters: dict[str, Any],
                 base_channels: int, seed: int = 0) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """A wider ``unet3d`` (``base_channels`` >= the given one) that computes what ``state`` does.

    Each weight of the narrow network is copied into the wide one's first channels (a decoder's
    concatenated input keeps its two halves apart); the new channels start as a fresh network's,
    except that nothing flows from a new channel into an old one (those weights start at 0), so
    the old channels, their instance norms and the output are the narrow network's, and training
    begins where the narrow network stands with room to grow (Net2Net's idea, Chen et al. 2016).
    """
    narrow = int(hyperparameters.get("base_channels", 8))
    if base_channels < narrow:
        raise ModelError(f"cannot narrow a unet3d from {narrow} to {base_channels} base channels")
    wide_hyper = {**hyperparameters, "base_channels": base_channels}
    torch.manual_seed(seed)
    out = {}
    for key, fresh in UNet3D(**wide_hyper).state_dict().items():
        old, new = state[key], fresh.clone()
        maps = [_index_map(key, dim, old.shape[dim], new.shape[dim]) for dim in range(old.dim())]
        new[torch.meshgrid(*maps, indexing="ij")] = old
        if old.dim() == 5:  # a convolution: old output channels read nothing from new input ones
            out_dim = 1 if key.startswith("upsamplers.") else 0  # ConvTranspose3d is (in, out, ...)
            reads_new = torch.zeros(new.shape[:2], dtype=torch.bool)
            new_inputs = torch.ones(new.shape[1 - out_dim], dtype=torch.bool)
            new_inputs[maps[1 - out_dim]] = False
            if out_dim == 0:
                reads_new[maps[0][:, None], new_inputs.nonzero()[:, 0][None, :]] = True
            else:
                reads_new[new_inputs.nonzero()[:, 0][:, None], maps[1][None, :]] = True
            new[reads_new] = 0
        out[key] = new
    return out, wide_hyper


def _index_map(key: str, dim: int, old: int, new: int) -> torch.Tensor:
    """Where the narrow tensor's indices along ``dim`` lie in the wide one's."""
    if key.startswith("decoders.") and key.endswith(".0.weight") and dim == 1 and old != new:
        half_old, half_new = old // 2, new // 2  # the input is [upsampled, skip]
        return torch.cat([torch.arange(half_old), half_new + torch.arange(half_old)])
    return torch.arange(old)


def size_divisor(architecture: str, hyperparameters: dict[str, Any]) -> int:
    """Spatial sizes the network accepts must be multiples of this."""
    if architecture == "unet3d":
        return 2 ** (int(hyperparameters.get("levels", 4)) - 1)
    return 1
