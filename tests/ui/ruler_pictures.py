"""Pictures of the slice view under a ruler: helpers that test_ruler_draft_label.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

import numpy as np


def picture(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 3 * w].reshape(h, w, 3)
