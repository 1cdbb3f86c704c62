"""4D images: their frames, opened in the window: helpers that test_frames.py and the tests building on
it share (test modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np

from neuroview.io.nifti import save_nifti

AFFINE = np.diag([2.0, 2.0, 2.0, 1.0])


SHAPE = (24, 20, 16)


def frames() -> np.ndarray:
    """Three time points with the same intensities (the same automatic window) in other places."""
    rng = np.random.default_rng(4)
    first = np.zeros(SHAPE, np.float32)
    first[4:12, 3:9, :] = 300.0
    first += rng.random(SHAPE, np.float32) * 50
    return np.stack([np.roll(first, 7 * t, axis=0) for t in range(3)], axis=-1)


def open_and_wait(qtbot, window, path, data=None, affine=AFFINE) -> None:
    """Open ``path`` (first saved from ``data`` when given) and wait until it is on screen."""
    if data is not None:
        save_nifti(data, affine, path)
    window.open_paths([path])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy
                    and window.controller.volume.source_path == str(path), timeout=30000)
