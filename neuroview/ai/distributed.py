"""Training on several processes (torchrun) and devices: rank, process group, agreement between
ranks, mixed precision and the device a card records. Used by the segmentation recipes
(:mod:`.train`, :mod:`.finetune`) and the promptable one (:mod:`.interactive.train`)."""

from __future__ import annotations

import os

import torch


def distributed_rank() -> tuple[int, int]:
    """``(rank, world_size)`` of this process; ``(0, 1)`` outside torchrun."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def start_distributed(device: str = "cpu") -> None:
    """Join the process group torchrun describes in the environment (gloo, or nccl on CUDA)."""
    import torch.distributed as dist

    backend = "nccl" if device in ("cuda", "auto") and torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend=backend)
    if backend == "nccl":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))


def stop_distributed() -> None:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def agree(value: float, world: int) -> float:
    """The same number on every rank (max over ranks), so that ranks take the same decisions."""
    if world == 1:
        return value
    import torch.distributed as dist

    tensor = torch.tensor([float(value)], dtype=torch.float64)
    dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
    return float(tensor.item())


def autocast(device: torch.device):
    """bfloat16 mixed precision on CUDA (no loss scaling needed), full precision elsewhere."""
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")


def describe_device(device: str) -> str:
    """The device a card records: ``cpu``, or ``cuda (NVIDIA H200)`` with the GPU's name."""
    if str(device).startswith("cuda") and torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name()})"
    return str(device)
