"""The 3D scene's pixels: slice planes show the image, the orientation marker, volume rendering
that yields to label surfaces and planes, and its opacity control."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, make_case

from neuroview.app.view_state import ViewerState
from neuroview.render.orientation_marker import MARKER_FRACTION
from neuroview.render.volume3d import Scene3D

SIZE = 200
BACKGROUND = np.array([0.08, 0.08, 0.12]) * 255


@pytest.fixture
def scene():
    volume, labels = make_case(AFFINES["ras"], blob_radius=6.0)
    p = volume.ijk_to_ras_points(np.argwhere(np.ones(volume.shape, bool))).reshape(*volume.shape, 3)
    volume.array[np.linalg.norm(p, axis=-1) > 40] = 0  # air around a 40 mm "head"
    scene = Scene3D(SIZE, SIZE)
    scene.set_volume(volume, "MR default")
    yield scene, volume, labels
    scene.close()


def _not_background(rgb):
    return np.abs(rgb.astype(float) - BACKGROUND).sum(axis=2) > 30


def test_orientation_marker_in_the_lower_left_corner(scene):
    scene, volume, _ = scene
    scene.set_volume_visible(False)  # an empty scene: only the marker is drawn
    rgb = scene.render(SIZE, SIZE)
    corner = int(SIZE * MARKER_FRACTION)
    marker = _not_background(rgb[SIZE - corner:, :corner])
    assert marker.mean() > 0.2, "the labelled cube fills part of its corner"
    assert not _not_background(rgb[: SIZE - corner - 2]).any(), "nothing else is drawn"
    # the cube's text faces turn with the camera: another view, other pixels
    scene.rotate(90, 0)
    assert not np.array_equal(scene.render(SIZE, SIZE)[SIZE - corner:, :corner], rgb[SIZE - corner:, :corner])


def test_slice_planes_show_the_slice_image_not_black_squares(scene):
    scene, volume, _ = scene
    state = ViewerState.for_volume(volume)
    scene.set_planes_visible(True)
    assert not scene.show_volume, "volume rendering yields to the planes unless asked for"
    scene.update_planes(state.crosshair_ras, state.window, state.level)
    rgb = scene.render(SIZE, SIZE).astype(float)
    # The camera looks from anterior: the coronal plane faces it. Its pixels are the slice image:
    # the bright ball (r < 30 mm) in the middle, the image's R gradient across it.
    centre = rgb[SIZE // 2 - 5:SIZE // 2 + 5, SIZE // 2 - 5:SIZE // 2 + 5].mean(axis=(0, 1))
    assert centre.min() > 150, "the plane shows the bright ball, not black"
    row = rgb[SIZE // 2 + 30, :, 0]  # below the axial plane's edge, through the ball
    lit = row[_not_background(rgb[SIZE // 2 + 30][None])[0]]
    assert lit.std() > 5, "textured: the intensity varies across the plane"
    black = (rgb.sum(axis=2) < 15)   # the head's dark rim (under 2 %: it fills the view since
    # session 43, and its rim with it), never the air: a plane's black square reaches the corners
    assert black.mean() < 0.04, "the air around the image is transparent, not a black square"
    assert not black[:20, :20].any() and not black[:20, -20:].any() and not black[-20:, -20:].any()


def test_volume_rendering_yields_to_labels_and_has_an_opacity(scene):
    scene, volume, labels = scene
    opaque = scene.render(SIZE, SIZE).astype(float)
    assert scene.show_volume
    scene.set_volume_opacity(0.2)
    faint = scene.render(SIZE, SIZE).astype(float)
    covered = _not_background(opaque)
    assert covered.mean() > 0.05
    # lower opacity: the background shows through, the volume's pixels come closer to it
    assert (np.abs(faint - BACKGROUND).sum(2)[covered].mean()
            < 0.8 * np.abs(opaque - BACKGROUND).sum(2)[covered].mean())
    scene.set_volume_opacity(1.0)
    scene.set_labels(labels)
    assert not scene.show_volume, "with label surfaces, volume rendering is off by default"
    surfaces = scene.render(SIZE, SIZE).astype(int)
    red = (surfaces[..., 0] > surfaces[..., 1] + 40) & (surfaces[..., 0] > surfaces[..., 2] + 20)
    assert red.sum() > 30, "the lesion surface is visible"
    scene.set_volume_visible(True)  # the user's explicit choice wins
    assert scene.show_volume


def test_slice_planes_at_a_crosshair_between_slices_show_the_slices_the_views_draw(scene):
    """A crosshair halfway between slices 22 and 23 on every axis: the 3D planes rounded half to
    even (22), the 2D views and the brush draw the +RAS slices (23)."""
    scene, volume, _ = scene
    scene.set_planes_visible(True)
    between = volume.ijk_to_ras_points(np.array([22.5, 22.5, 22.5]))
    scene.update_planes(between, 100.0, 50.0)
    shown = tuple(actor.GetMapper().GetSliceNumber() for actor in scene.planes)
    assert shown == volume.ras_to_voxel(between) == (23, 23, 23)


def test_the_next_image_is_framed_whole_after_label_surfaces(scene):
    """AI > Segment on one image (its lesions' surfaces shown, volume rendering off), then the
    next image opened: the camera was framed on the old surfaces, the only visible props when
    set_volume reset it, so the new head filled the view as a magnified blur."""
    scene, volume, labels = scene
    fresh = scene.render(SIZE, SIZE)
    scene.set_labels(labels)                   # the small blob's surface: the volume yields
    assert not scene.show_volume
    scene.set_volume(volume, "MR default")     # the next image (its own labels arrive after)
    scene.set_labels(None)
    again = scene.render(SIZE, SIZE)
    assert _not_background(again).mean() == pytest.approx(_not_background(fresh).mean(), abs=0.02)
    assert not _not_background(again[:10, 60:140]).any(), "air above the head, not a close-up"


def test_zooming_out_far_keeps_the_head_whole_and_undistorted(scene):
    """Twenty and sixty wheel notches out: the head stays a head, about half its reset width (the
    view angle stops at 60 degrees, about twice the reset's, which frames the volume's sphere);
    it shrank to a dot in a 155-179 degree fish-eye. Zooming
    in still magnifies, and R (``reset_camera``) brings the first frame back."""
    scene, _volume, _labels = scene
    corner = int(SIZE * MARKER_FRACTION) + 2

    def head_width(rgb) -> int:
        cols = np.flatnonzero(_not_background(rgb[: SIZE - corner]).any(axis=0))
        return int(cols.max() - cols.min() + 1) if cols.size else 0

    first = scene.render(SIZE, SIZE)
    reset = head_width(first)
    for notches in (20, 40):
        for _ in range(notches):
            scene.zoom(1.1 ** -1)
        assert scene.renderer.GetActiveCamera().GetViewAngle() <= 60.0
        width = head_width(scene.render(SIZE, SIZE))
        assert reset / 4 < width < reset * 0.6, f"{notches} notches out: {width} px of {reset}"
    for _ in range(30):
        scene.zoom(1.1)
    assert head_width(scene.render(SIZE, SIZE)) > reset * 0.6 + 10, "zooming in magnifies again"
    scene.reset_camera()
    assert np.array_equal(scene.render(SIZE, SIZE), first)
