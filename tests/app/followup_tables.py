"""Comparing follow-up lesion tables: helpers that test_followup_cli.py and the tests building on it
share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np


def same_table(csv_a: str, csv_b: str) -> bool:
    """Same rows: words and part counts exactly, volumes within 2 %, positions within 0.3 mm."""
    rows_a = [line.split(",") for line in csv_a.splitlines()]
    rows_b = [line.split(",") for line in csv_b.splitlines()]
    if rows_a[0] != rows_b[0] or len(rows_a) != len(rows_b):
        return False
    for a, b in zip(rows_a[1:], rows_b[1:]):
        if a[:3] != b[:3] or a[10:] != b[10:]:
            return False
        volumes = np.array([a[3:5], b[3:5]], dtype=float)
        position = np.array([a[7:10], b[7:10]], dtype=float)
        if not (np.allclose(volumes[0], volumes[1], rtol=0.02, atol=1e-4)
                and np.abs(position[0] - position[1]).max() <= 0.3):
            return False
    return True
