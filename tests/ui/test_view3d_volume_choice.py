"""*Volume rendering* cleared (or ticked) while the 3D view is still being set up for the image
just opened holds, and applies once the 3D view is ready, as 3D Slicer keeps a volume's rendering
choice: the box was ticked back and the volume drawn, with no word, as the choice was dropped."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import grab, held_in_workers, open_image, write_image
from PySide6.QtCore import QPoint, Qt

from neuroview.render import prepare3d


def click(qtbot, box) -> None:
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))


def centre_contrast(view3d) -> float:
    """How far the centre of the 3D view's frame is from its background (a corner): a head
    drawn by volume rendering is far, an empty scene is not."""
    rgb = grab(view3d).astype(int)
    h, w = rgb.shape[:2]
    centre = rgb[h // 2 - 10: h // 2 + 10, w // 2 - 10: w // 2 + 10]
    return float(np.abs(centre - rgb[5, w // 2]).sum(axis=2).mean())


def ready(qtbot, window) -> None:
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume and view3d.rgb is not None
                    and not view3d.surfaces_pending, timeout=30000)
    qtbot.wait(200)


@pytest.mark.parametrize("before", ["no image", "another image"])
def test_volume_rendering_cleared_before_the_3d_view_is_ready_stays_cleared(
        qtbot, window, tmp_path, monkeypatch, before):
    path, _ = write_image(tmp_path)
    view3d, box = window.view3d, window.display_panel.volume3d_check
    if before == "another image":   # the scene exists, showing the image before
        open_image(qtbot, window, write_image(tmp_path, name="other", affine_name="lps")[0])
        ready(qtbot, window)
    calls, release = held_in_workers(monkeypatch, prepare3d, "prepare_volume")
    window.open_paths([path])
    qtbot.waitUntil(lambda: calls != [] and window.controller.volume.source_path == str(path),
                    timeout=30000)
    assert box.isChecked() and box.isEnabled()
    click(qtbot, box)                            # the user clears it while the 3D view waits
    assert not box.isChecked()
    release.set()
    ready(qtbot, window)
    assert not box.isChecked(), "the choice was reset"
    assert not view3d.scene.show_volume
    assert centre_contrast(view3d) < 10          # no volume drawn
    click(qtbot, box)                            # ticked again, the 3D view ready: drawn at once
    qtbot.waitUntil(lambda: centre_contrast(view3d) > 60, timeout=20000)
    assert box.isChecked() and view3d.scene.show_volume


def test_volume_rendering_ticked_before_the_3d_view_is_ready_shows_over_slice_planes(
        qtbot, window, tmp_path, monkeypatch):
    """With *Slice planes in 3D* on, the volume steps aside by itself; ticked by the user while
    the 3D view waits, it shows all the same."""
    path, _ = write_image(tmp_path)
    panel, view3d = window.display_panel, window.view3d
    open_image(qtbot, window, write_image(tmp_path, name="other", affine_name="lps")[0])
    ready(qtbot, window)
    click(qtbot, panel.planes3d_check)
    qtbot.waitUntil(lambda: not panel.volume3d_check.isChecked(), timeout=20000)   # planes: auto off
    calls, release = held_in_workers(monkeypatch, prepare3d, "prepare_volume")
    window.open_paths([path])
    qtbot.waitUntil(lambda: calls != [] and window.controller.volume.source_path == str(path),
                    timeout=30000)
    click(qtbot, panel.volume3d_check)
    release.set()
    ready(qtbot, window)
    assert panel.volume3d_check.isChecked() and view3d.scene.show_volume
