"""The 3D view's volume rendering comes back whole when the label surfaces it yielded to go. The
camera's clipping range was fitted to the props visible when it was last set (a turn, a camera
restored for an image opened again): the surfaces alone while the volume rendering yielded to
them. When they went (a new image, Ctrl+Z) the head came back cut by that near plane, its front
missing and the white matter showing (walk of 7 Dec 2026: the demo case opened again from a
worklist after its segments were shown)."""

from __future__ import annotations

import numpy as np
from render_cases import AFFINES, make_case

from neuroview.render.volume3d import Scene3D

SIZE = 96


def test_the_head_is_drawn_whole_after_the_surfaces_it_yielded_to_go():
    volume, labels = make_case(AFFINES["ras"], blob_radius=6.0)
    scene = Scene3D(SIZE, SIZE)
    try:
        scene.set_volume(volume, "MR default")
        whole = scene.render(SIZE, SIZE).astype(int)
        scene.set_labels(labels)          # a segment with depth: the volume rendering yields
        assert not scene.show_volume
        scene.turn(15, 0)                 # the arrow keys over the 3D view: there and back
        scene.turn(-15, 0)
        scene.render(SIZE, SIZE)
        scene.set_labels(None)            # the segment undone: the volume rendering is back
        assert scene.show_volume
        again = scene.render(SIZE, SIZE).astype(int)
    finally:
        scene.close()
    changed = np.abs(again - whole).sum(axis=2) > 30
    assert changed.mean() < 0.01, f"{changed.mean():.1%} of the frame differs from the head drawn whole"
