"""A copy of an image that the workspace key of neuroview before session 33 could not tell from it:
a 4x4x4 block changed where none of the 4,096 voxels that key read lies (a lesion painted into a
re-export, a defaced copy). Shared by tests/app/test_workspace_key.py and the window's test."""

from __future__ import annotations

import numpy as np

from neuroview.core.image_keys import sampled_key


def block_off_the_samples(array: np.ndarray) -> tuple[slice, ...]:
    """The 4x4x4 block nearest the image's centre holding none of the sampled voxels."""
    flat = np.unique(np.linspace(0, array.size - 1, num=4096).astype(np.int64))
    sampled = np.zeros(array.shape, bool)
    sampled[np.unravel_index(flat, array.shape)] = True
    free = ~np.lib.stride_tricks.sliding_window_view(sampled, (4, 4, 4)).any(axis=(3, 4, 5))
    corners = np.argwhere(free)
    assert len(corners), "every 4x4x4 block holds a sampled voxel"
    i, j, k = corners[np.argmin(np.sum((corners + 2 - np.array(array.shape) // 2) ** 2, axis=1))]
    return np.s_[i:i + 4, j:j + 4, k:k + 4]


def changed_copy(array: np.ndarray, affine: np.ndarray, by=500) -> np.ndarray:
    """``array`` with a block off the samples raised by ``by``; its old key is ``array``'s."""
    copy = np.array(array)
    copy[block_off_the_samples(array)] += by
    assert sampled_key(copy, affine) == sampled_key(array, affine)
    return copy
