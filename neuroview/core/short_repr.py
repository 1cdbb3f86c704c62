"""Short ``repr`` text for objects that hold voxel arrays.

A dataclass's own ``repr`` prints its arrays, so showing a label map, a preview or a prompt's
answer in Jupyter or a log filled the screen with zeros (1 500 characters for a label map, some
6 000 for a prompt's answer): these name each array's shape and type instead."""

from __future__ import annotations

import numpy as np


def array_text(array) -> str:
    """``uint8(116, 134, 112)``: an array's type and shape (``None`` as itself)."""
    if array is None:
        return "None"
    array = np.asanyarray(array)
    return f"{array.dtype}{tuple(int(n) for n in array.shape)}"
