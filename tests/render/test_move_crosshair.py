"""A view whose picture is unchanged moves its crosshair lines in place (a wheel step in another
view) instead of copying the picture and drawing its letters and caption again (only a text
whose lines changed under it is drawn again): the same pixels as the picture annotated anew,
wherever the lines go."""

from __future__ import annotations

import numpy as np

from neuroview.app.view_state import ViewerState
from neuroview.render.slices import annotate, move_crosshair


def test_moved_crosshair_equals_the_picture_annotated_anew():
    state = ViewerState((60, 50, 40), np.diag([1.0, 1.2, 2.0, 1.0]))
    geom = state.geometry("coronal", 200, 160)
    base = np.random.default_rng(0).integers(0, 256, (160, 200, 3), dtype=np.uint8)
    letters, caption = state.orientation_letters("coronal"), state.slice_label("coronal")
    for old in (state.crosshair_ras, state.crosshair_ras + np.array([13.0, 0.0, 17.0])):
        shown = base.copy()
        texts = annotate(shown, geom, old, letters, caption)
        for dz in np.linspace(-45, 45, 61):      # the horizontal line across the whole height,
            for dx in (0.0, -27.0, 23.5):        # through the letters, and a few columns
                new = old + np.array([dx, 0.0, dz])
                expected = base.copy()
                annotate(expected, geom, new, letters, caption)
                rgb = shown.copy()
                assert move_crosshair(rgb, base, geom, old, new, texts)
                np.testing.assert_array_equal(rgb, expected, err_msg=f"{dx} {dz}")
