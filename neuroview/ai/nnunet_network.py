"""The network of an nnU-Net v2 plans file, built from an allow-list of classes: the plans'
architecture from ``dynamic_network_architectures.architectures``, its building blocks from
``torch.nn``, laid out on the ``meta`` device first to compare with the checkpoint's weights; and
the folds of one model as one network (see :mod:`.nnunet`)."""

from __future__ import annotations

import functools
import pydoc
import warnings
from pathlib import Path

from ..core.errors import ModelError, first_line
from ..core.plural import plural
from .nnunet_files import PLANS_FILE

NETWORK_PACKAGE = "dynamic_network_architectures.architectures."


def _locate(name, folder: Path, allowed_prefix: str):
    import torch

    if name is None:
        return None
    if not isinstance(name, str) or not name.startswith(allowed_prefix):
        raise ModelError(f"unknown architecture part {name!r} in plans.json (neuroview only builds "
                         f"classes from {allowed_prefix.rstrip('.')})", path=folder / PLANS_FILE)
    found = pydoc.locate(name)
    if not (isinstance(found, type) and issubclass(found, torch.nn.Module)):
        raise ModelError(f"unknown architecture {name!r} in plans.json", path=folder / PLANS_FILE,
                         hint="is the installed dynamic_network_architectures too old?")
    return found


def load_weights(network, checkpoint: dict, path: Path) -> None:
    """The checkpoint's ``network_weights`` into ``network``, strictly; a mismatch is a
    ModelError naming the checkpoint."""
    try:
        network.load_state_dict(checkpoint["network_weights"], strict=True)
    except (RuntimeError, TypeError) as exc:
        # torch's first line is 'Error(s) in loading state_dict for X:', the next says which
        text = " ".join((str(exc).strip().splitlines() or [type(exc).__name__])[:2]).strip()[:200]
        raise ModelError(f"checkpoint weights do not fit the plans' network ({text})",
                         path=path) from None


def build_network(configuration, n_channels: int, n_outputs: int, folder: Path):
    """The configuration's network with random weights, built from an allow-list of classes."""
    try:
        class_name = configuration.network_arch_class_name
        kwargs = dict(configuration.network_arch_init_kwargs)
        imported = list(configuration.network_arch_init_kwargs_req_import)
        if not all(isinstance(key, str) for key in imported):
            raise TypeError("_kw_requires_import must list argument names")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:   # a key missing, a list...
        raise ModelError(f"plans.json's architecture is incomplete ({type(exc).__name__}: "
                         f"{first_line(exc, 120)})", path=folder / PLANS_FILE) from None
    arch_class = _locate(class_name, folder, NETWORK_PACKAGE)
    for key in imported:
        kwargs[key] = _locate(kwargs.get(key), folder, "torch.nn.")
    kwargs["deep_supervision"] = False
    try:
        return arch_class(input_channels=n_channels, num_classes=n_outputs, **kwargs)
    except (TypeError, ValueError, AssertionError, RuntimeError, IndexError, KeyError,
            AttributeError, OverflowError) as exc:   # arch_kwargs of the wrong length or type
        raise ModelError(f"cannot build {configuration.network_arch_class_name.rsplit('.', 1)[-1]} "
                         f"from plans.json ({exc})", path=folder / PLANS_FILE) from None


def check_shapes(configuration, n_channels: int, n_outputs: int, folder: Path, checkpoint: dict,
                  path: Path) -> None:
    """Compare the plans' network with the checkpoint's weights before building it: laid out on
    torch's ``meta`` device (shapes only, no memory) first, so plans asking for a network far
    larger than the checkpoint fills are refused without allocating it (features_per_stage of
    3000 took 1.3 GB before the mismatch was found)."""
    import torch

    with torch.device("meta"), warnings.catch_warnings():
        # a stride of false makes a layer of no weights: torch's 'Initializing zero-element
        # tensors is a no-op' was printed above the line that the shapes differ
        warnings.simplefilter("ignore", UserWarning)
        skeleton = build_network(configuration, n_channels, n_outputs, folder)
    expected = {key: tuple(value.shape) for key, value in skeleton.state_dict().items()}
    weights = checkpoint["network_weights"]
    found = {key: tuple(value.shape) for key, value in weights.items() if torch.is_tensor(value)}
    wrong = sorted(k for k in expected if expected[k] != found.get(k))
    if wrong:
        where = wrong[0]
        raise ModelError(f"checkpoint weights do not fit the plans' network ({plural(len(wrong), 'tensor')} "
                         f"missing or of another shape, e.g. {where}: plans {list(expected[where])}, "
                         f"checkpoint {list(found[where]) if where in found else 'none'})", path=path)


@functools.lru_cache(maxsize=1)
def ensemble_class():
    import torch

    class NnunetEnsemble(torch.nn.Module):
        """Folds of one nnU-Net model: RAS-ordered input in, mean logits out (RAS order)."""

        def __init__(self, members, ras_axes) -> None:
            super().__init__()
            self.members = torch.nn.ModuleList(members)
            self.forward_order = (0, 1) + tuple(a + 2 for a in ras_axes)
            self.backward_order = tuple(self.forward_order.index(i) for i in range(5))

        def forward(self, x):
            x = x.permute(self.forward_order)
            logits = None
            for member in self.members:
                out = member(x)
                logits = out if logits is None else logits + out
            logits = logits / len(self.members)
            return logits.permute(self.backward_order).contiguous()

    return NnunetEnsemble
