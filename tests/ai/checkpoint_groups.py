"""What a training checkpoint folder holds, as written: no tensor group (``model.``, ``best.``,
``more.trained.``...) a byte-identical copy of another, and no two files the same."""

from __future__ import annotations

import itertools
from pathlib import Path


def _group(key: str) -> tuple[str, str]:
    """``("more.trained.", "head.weight")`` of ``more.trained.head.weight``."""
    parts = key.split(".")
    n = 2 if parts[0] == "more" else 1
    return ".".join(parts[:n]) + ".", ".".join(parts[n:])


def _raw(tensor) -> bytes:
    import torch

    return tensor.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()


def assert_nothing_twice(folder: Path) -> None:
    from safetensors.torch import load_file

    groups: dict = {}
    for key, tensor in load_file(str(folder / "state.safetensors")).items():
        group, name = _group(key)
        if group != "optim.":
            groups.setdefault(group, {})[name] = (tensor.dtype, tuple(tensor.shape), _raw(tensor))
    for (a, first), (b, second) in itertools.combinations(groups.items(), 2):
        assert first != second, f"{a}* and {b}* hold the same tensors in {folder.name}"
    files = [p for p in folder.rglob("*") if p.is_file()]
    for one, other in itertools.combinations(files, 2):
        assert one.read_bytes() != other.read_bytes(), (one.name, other.name)
