"""Tiling rendered views into one picture (the four-up layout of the window and of snapshots)."""

from __future__ import annotations

import numpy as np

FOUR_UP = (("axial", "3d"), ("sagittal", "coronal"))
"""Slicer's four-up arrangement: axial | 3D over sagittal | coronal."""
GAP = 2


def tile_sizes(width: int, height: int) -> tuple[int, int]:
    """Size of each of the four tiles inside a ``width`` x ``height`` picture."""
    return max((width - GAP) // 2, 1), max((height - GAP) // 2, 1)


def compose_four_up(images: dict[str, np.ndarray], width: int, height: int) -> np.ndarray:
    """Place four ``(h, w, 3)`` images named by view in a grid, separated by a thin dark gap."""
    tile_w, tile_h = tile_sizes(width, height)
    out = np.full((height, width, 3), 40, dtype=np.uint8)
    for r, row in enumerate(FOUR_UP):
        for c, name in enumerate(row):
            image = images[name][:tile_h, :tile_w]
            y, x = r * (tile_h + GAP), c * (tile_w + GAP)
            out[y:y + image.shape[0], x:x + image.shape[1]] = image
    return out
