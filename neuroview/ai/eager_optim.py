"""AdamW without loading torch's compiler: the same arithmetic as ``torch.optim.AdamW``.

``torch.optim.Optimizer`` marks its methods for ``torch.compile``: ``add_param_group`` (called
when the optimizer is made), ``zero_grad``, ``state_dict`` and ``load_state_dict`` through
``torch._disable_dynamo``, ``step`` through ``_use_grad_for_differentiable`` (which calls
``torch._dynamo.graph_break()``, a no-op outside compilation). Each imports ``torch._dynamo``
when first called, and that import (sympy, the inductor, torch.distributed's FSDP...) took 1.3 s
of CPU in every ``neuroview train`` process (a 1-epoch run of the tests: 4.2 s in all). neuroview
never compiles, so :class:`EagerAdamW` calls the methods as written, under the grad mode
``step``'s wrapper sets; results are bit-identical (``tests/ai/test_eager_optim.py``). When the
undecorated method is not there (another torch), or while compiling, torch's own is used.
"""

from __future__ import annotations

import inspect

import torch
from torch.optim import AdamW, Optimizer


def _plain(method):
    """The function under torch's decorators (``AdamW.step`` also under the profiling hook that
    the first AdamW made puts on it; :class:`EagerAdamW`'s own ``step`` gets that hook), or
    ``None`` where there is none to pass by."""
    plain = inspect.unwrap(method)
    return None if plain is method or torch.compiler.is_compiling() else plain


class EagerAdamW(AdamW):
    """``torch.optim.AdamW`` whose methods do not import ``torch._dynamo`` (module notes)."""

    def add_param_group(self, param_group) -> None:
        plain = _plain(Optimizer.add_param_group)
        return plain(self, param_group) if plain else super().add_param_group(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        plain = _plain(Optimizer.zero_grad)
        return plain(self, set_to_none) if plain else super().zero_grad(set_to_none)

    def state_dict(self):
        plain = _plain(Optimizer.state_dict)
        return plain(self) if plain else super().state_dict()

    def load_state_dict(self, state_dict) -> None:
        plain = _plain(Optimizer.load_state_dict)
        return plain(self, state_dict) if plain else super().load_state_dict(state_dict)

    def step(self, closure=None):
        plain = _plain(AdamW.step)
        if plain is None:
            return super().step(closure)
        with torch.set_grad_enabled(self.defaults["differentiable"]):   # as torch's wrapper
            return plain(self, closure)
