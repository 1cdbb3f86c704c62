"""A frame of the 3D scene is rendered once: ``vtkWindowToImageFilter`` renders the window again
before reading it unless told not to (its default), which doubled the CPU of every 3D frame (a
ray-cast 48^3 head at 330x300: 0.15 s instead of 0.075 s), and the frame still shows the scene's
latest state."""

from __future__ import annotations

import numpy as np
from render_cases import AFFINES, make_case

from neuroview.render.volume3d import Scene3D


def test_a_frame_renders_the_window_once_and_shows_the_latest_camera():
    volume, _ = make_case(AFFINES["ras"], blob_radius=6.0)
    scene = Scene3D(120, 100)
    try:
        scene.set_volume(volume, "MR default")
        renders = []
        scene.window.AddObserver("StartEvent", lambda *_: renders.append(1))
        front = scene.render(120, 100)
        assert len(renders) == 1
        assert front.shape == (100, 120, 3) and front.std() > 5   # the head, not a blank frame
        scene.rotate(60, 0)
        side = scene.render(120, 100)
        assert len(renders) == 2
        assert (np.abs(side.astype(int) - front).max(axis=2) > 30).sum() > 100   # turned
        assert np.array_equal(scene.render(120, 100), side)   # nothing left of the frame before
        bigger = scene.render(160, 90)
        assert bigger.shape == (90, 160, 3) and len(renders) == 4
    finally:
        scene.close()


def test_the_next_scene_draws_in_the_closed_ones_window_and_nothing_of_it():
    """A closed scene's render window (60 ms of CPU to make, with its context and shaders) is
    the next scene's; what the closed scene showed (surfaces, a turned camera) is gone from it,
    and its frames equal those of a scene in a new window."""
    volume, labels = make_case(AFFINES["ras"], blob_radius=6.0)
    first = Scene3D(120, 100)
    first.set_volume(volume, "MR default")
    first.set_labels(labels)
    first.rotate(80, 20)
    first.render(120, 100)
    window = first.window
    first.close()
    second = Scene3D(110, 90)
    fresh = Scene3D(110, 90)   # none waits now: a new window
    try:
        assert second.window is window and fresh.window is not window
        assert second.window.GetRenderers().GetNumberOfItems() == 3   # its own three layers
        for scene in (second, fresh):
            scene.set_volume(volume, "MR default")
        shown = second.render(110, 90)
        assert shown.std() > 5 and np.array_equal(shown, fresh.render(110, 90))
    finally:
        second.close()
        fresh.close()
