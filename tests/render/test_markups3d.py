"""Rulers and angles in the 3D scene: a line through their points, seen through the volume
rendering and label surfaces (drawn over them), with their value beside them. The 3D view showed
no measurement."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, make_case

from neuroview.render.markups3d import Markup
from neuroview.render.volume3d import Scene3D

SIZE = 200
CYAN = (0, 230, 255)


def cyan(rgb) -> np.ndarray:
    return np.all(np.abs(rgb.astype(int) - CYAN) <= 40, axis=2)


@pytest.fixture
def scene():
    volume, labels = make_case(AFFINES["oblique"])
    scene = Scene3D(SIZE, SIZE)
    scene.set_volume(volume)
    scene.set_labels(labels)
    scene.set_volume_visible(True)
    yield scene
    scene.close()


def test_a_ruler_is_drawn_over_the_volume_and_surfaces_and_follows_its_points(scene):
    plain = scene.render(SIZE, SIZE)
    assert not cyan(plain).any()
    # a ruler right to left through the centre of the (opaque) head, inside it; the camera looks
    # from the front, right of the patient on the left of the picture
    scene.show_markups([Markup(((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0)), "40.0 mm", CYAN)])
    rgb = scene.render(SIZE, SIZE)
    line = cyan(rgb)
    _rows, cols = np.nonzero(line)
    assert line.sum() > 40, "the ruler inside the head is drawn"
    assert cols.max() - cols.min() > 20, "a line across the picture"
    scene.show_markups([Markup(((0.0, 0.0, 20.0), (0.0, 0.0, -20.0)), "40.0 mm", CYAN, 0)])
    upright = cyan(scene.render(SIZE, SIZE))
    rows, _cols = np.nonzero(upright)
    assert rows.max() - rows.min() > 20, "moved: now a line up the picture"
    scene.show_markups([])
    assert np.array_equal(scene.render(SIZE, SIZE), plain), "none left behind"


def test_the_value_is_written_beside_the_ruler(scene):
    ruler = ((20.0, 0.0, 0.0), (-20.0, 0.0, 0.0))
    scene.show_markups([Markup(ruler, "", CYAN)])
    bare = scene.render(SIZE, SIZE)
    scene.show_markups([Markup(ruler, "40.0 mm", CYAN)])
    labelled = scene.render(SIZE, SIZE)
    dark = labelled.max(axis=2) < 15
    assert (dark & ~(bare.max(axis=2) < 15)).sum() > 50, "the value's dark box"
    assert cyan(labelled).sum() > cyan(bare).sum() + 10, "the value's letters"
