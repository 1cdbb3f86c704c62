"""A big image shows in the 3D view at once, from every n-th voxel (``QUICK_LOOK_DIM``), while its full
volume rendering is made; then at full resolution, seen as the user left the quick one (camera,
preset, *Volume rendering*). Until session 43 the 3D view read "Preparing the 3D view..." for
1-4 s after a 1 mm head opened (``bench/open_hold.py``)."""

from __future__ import annotations

import threading

import nibabel as nib
import numpy as np
from editor_helpers import open_image

from neuroview.render import prepare3d
from neuroview.render.orientation_marker import MARKER_FRACTION
from neuroview.ui import view3d_widget

BACKGROUND = np.array([20, 20, 31])   # the scene's background (0.08, 0.08, 0.12)


def ball(folder):
    """A 96^3 image of 2 mm voxels: a bright ball in a dim box (the quick look: every 2nd voxel)."""
    i, j, k = np.ogrid[:96, :96, :96]
    array = np.where((i - 48) ** 2 + (j - 44) ** 2 + (k - 50) ** 2 < 30 ** 2, 800, 20).astype(np.int16)
    path = folder / "ball.nii.gz"
    nib.save(nib.Nifti1Image(array, np.diag([2.0, 2.0, 2.0, 1.0])), path)
    return path


def drawn_pixels(rgb) -> int:
    """Pixels not background, the orientation marker's lower-left corner left out."""
    drawn = np.abs(rgb.astype(int) - BACKGROUND).sum(axis=2) > 60
    corner = int(round(min(drawn.shape) * MARKER_FRACTION)) + 2
    drawn[-corner:, :corner] = False
    return int(drawn.sum())


def test_a_big_image_shows_in_3d_before_its_full_volume_rendering_is_ready(
        qtbot, window, tmp_path, monkeypatch):
    real, made, release = prepare3d.prepare_volume, [], threading.Event()

    def held_full(volume, preset, opacity=1.0, content=None, quick_dim=None):
        made.append(quick_dim)
        if quick_dim is None:   # the full one waits until the test has looked
            assert content is not None   # the quick look's framing, not found again
            assert release.wait(30)
        return real(volume, preset, opacity, content, quick_dim)

    monkeypatch.setattr(prepare3d, "prepare_volume", held_full)
    monkeypatch.setattr(view3d_widget, "QUICK_LOOK_VOXELS", 64 ** 3)   # 96^3 counts as big here
    view3d = window.view3d
    try:
        open_image(qtbot, window, ball(tmp_path))
        qtbot.waitUntil(lambda: view3d.rgb is not None, timeout=30000)
        # drawn while the full volume rendering is still held in its worker
        assert not release.is_set() and view3d.quick_look and view3d.surfaces_pending
        assert made == [view3d_widget.QUICK_LOOK_DIM, None]
        assert view3d.scene._image.GetDimensions() == (48, 48, 48)
        assert drawn_pixels(view3d.rgb) > 2000, "the quick look is a blank frame"
        view3d.turn_camera(40.0, 0.0)   # the user turns it and clears *Volume rendering* meanwhile
        window.display_panel.volume3d_check.click()
        qtbot.waitUntil(lambda: not view3d.frame_pending, timeout=30000)
        assert not view3d.scene.show_volume and drawn_pixels(view3d.rgb) < 100
        turned = view3d.camera()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not view3d.quick_look and not view3d.surfaces_pending, timeout=30000)
    assert view3d.scene._image.GetDimensions() == (96, 96, 96)   # full resolution now
    assert np.allclose(view3d.camera()[0], turned[0])            # still seen from where it was turned
    assert not view3d.scene.show_volume and not window.display_panel.volume3d_check.isChecked()
    window.display_panel.volume3d_check.click()
    qtbot.waitUntil(lambda: view3d.scene.show_volume and not view3d.frame_pending, timeout=30000)
    assert drawn_pixels(view3d.rgb) > 2000
