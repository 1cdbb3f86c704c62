"""The angle tool's colour and the lines it draws: helpers that test_angle.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np

GREEN = np.array([120, 255, 120])


def last_line(window) -> str:
    return window.measurements.item(window.measurements.count() - 1).text()
