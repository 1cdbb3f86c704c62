"""Rules a volume must meet before a 3D model or a training set takes it, shared by the verbs
that apply them (``segment``, ``dataset add``, ``dataset rank``) so they refuse in the same words."""

from __future__ import annotations

from typing import Optional, Sequence


def single_slice(shape: Sequence[int]) -> Optional[str]:
    """``"a single 2D slice (64 x 64 voxels)"`` for an image one voxel thick along an axis of its
    first three, else ``None``: a 3D model segments, and a training set holds, 3D volumes."""
    if min(tuple(shape[:3]) + (2,) * (3 - len(shape[:3]))) >= 2:
        return None
    size = " x ".join(str(n) for n in shape[:3] if n > 1) or "1"
    return f"a single 2D slice ({size} voxels)"
