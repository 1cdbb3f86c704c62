"""The pixels of a ruler's colour and comparing pictures: helpers that test_ruler_delete.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import numpy as np
from measure_drawing import CYAN, coloured


def same(rulers, expected) -> bool:
    return len(rulers) == len(expected) and all(a is b for a, b in zip(rulers, expected))


def cyan_pixels(widget) -> int:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return int(coloured(data[:, : 3 * w].reshape(h, w, 3), CYAN, 20).sum())
