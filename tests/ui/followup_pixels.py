"""The follow-up views' pixels under a window/level: helpers that test_followup_window_level.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import numpy as np

from neuroview.render.slices import render_slice


def plain_pixels(pair, images):
    """Per pane: the pixels drawn from the image alone (no outline, crosshair or letters), and
    the volume it shows, checked against a plain rendering at the panes' window."""
    geom = pair.state.geometry(pair.plane, *pair.pane_device_size())
    out = []
    for image, volume in zip(images, (pair.baseline, pair.later)):
        plain = render_slice(volume, geom, pair.state.window, pair.state.level).rgb
        mask = np.all(image == plain, axis=2)
        assert mask.mean() > 0.9
        out.append((mask, volume))
    return geom, out


def assert_drawn_at(pair, window, level, plain):
    """Both panes show their image at ``(window, level)`` on the plain pixels."""
    geom, masks = plain
    left, right = pair.pane_images()
    for image, (mask, volume) in zip((left, right), masks):
        expected = render_slice(volume, geom, window, level).rgb
        differ = np.abs(image[mask].astype(int) - expected[mask].astype(int)).max(axis=1) > 1
        assert differ.mean() < 0.001
