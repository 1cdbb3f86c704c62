"""A real-looking CT volume: helpers that test_ct_guess.py and the tests building on it share (test
modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

import numpy as np  # noqa: E402


def real_looking_ct(array: np.ndarray, seed: int = 0) -> np.ndarray:
    """Whole HU with a CT's noise (4 HU), as a scanner stores them (int16)."""
    rng = np.random.default_rng(seed)
    return np.round(array + rng.normal(0, 4, array.shape)).astype(np.int16)
