"""3D controls in the window: the volume opacity slider, planes that show the image."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import grab, open_image, write_image
from PySide6.QtCore import QPoint, Qt


def test_volume_opacity_slider_and_textured_planes(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    view3d, panel = window.view3d, window.display_panel
    qtbot.waitUntil(lambda: view3d.rgb is not None, timeout=20000)
    assert panel.volume3d_check.isChecked() and view3d.scene.show_volume  # no labels: volume on
    opaque = grab(view3d).astype(int)
    background = opaque[5, view3d.width() // 2]
    centre = (slice(view3d.height() // 2 - 10, view3d.height() // 2 + 10),
              slice(view3d.width() // 2 - 10, view3d.width() // 2 + 10))
    assert np.abs(opaque[centre] - background).sum(axis=2).mean() > 60
    panel.opacity3d_slider.setFocus()
    qtbot.keyClick(panel.opacity3d_slider, Qt.Key_Home)  # opacity 0 %
    assert view3d.scene.volume_opacity == 0.0
    qtbot.waitUntil(lambda: np.abs(grab(view3d).astype(int)[centre] - background).sum(axis=2).mean() < 10,
                    timeout=20000)
    qtbot.keyClick(panel.opacity3d_slider, Qt.Key_End)
    # slice planes: the volume rendering steps aside and the planes show the slice image
    qtbot.mouseClick(panel.planes3d_check, Qt.LeftButton,
                     pos=QPoint(8, panel.planes3d_check.height() // 2))
    qtbot.waitUntil(lambda: not panel.volume3d_check.isChecked(), timeout=20000)
    assert not view3d.scene.show_volume
    planes = grab(view3d).astype(int)
    patch = planes[centre]
    assert np.abs(patch - background).sum(axis=2).mean() > 60, "the coronal plane faces the camera"
    assert patch[..., 0].std() > 2 or planes[centre[0], :, 0].std() > 5, "textured, not uniform"


def test_3d_preset_box_names_the_preset_a_ct_is_drawn_with(qtbot, window, tmp_path):
    """A CT is drawn with a CT preset: the box said "MR default" (it was read before the 3D view
    took the image), and moving the opacity slider then switched the CT to the MR ramp. This one
    has no bone (a 40 HU ellipse in air): "CT soft tissue" (at "CT bone" its 3D view was empty)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dataset"))
    from fake_dicom import make_ct_series

    make_ct_series(tmp_path / "ct")
    open_image(qtbot, window, tmp_path / "ct")
    view3d, panel = window.view3d, window.display_panel
    qtbot.waitUntil(lambda: view3d.scene is not None and view3d.rgb is not None, timeout=20000)
    assert view3d.scene.preset == "CT soft tissue"
    qtbot.waitUntil(lambda: panel.preset3d_box.currentText() == "CT soft tissue", timeout=5000)
    panel.opacity3d_slider.setFocus()
    qtbot.keyClick(panel.opacity3d_slider, Qt.Key_PageDown)
    assert view3d.scene.volume_opacity < 1.0
    assert view3d.scene.preset == "CT soft tissue"
    path, _ = write_image(tmp_path)   # then an MR: its own preset, named in the box
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume, timeout=20000)
    assert view3d.scene.preset == "MR default"
    qtbot.waitUntil(lambda: panel.preset3d_box.currentText() == "MR default", timeout=5000)


def test_a_nifti_ct_gets_the_ct_3d_preset_as_it_gets_the_ct_window_presets(qtbot, window, tmp_path):
    """A CT saved as NIfTI has no modality; its air (-1000 HU) makes it a CT for the window
    presets (Brain, Bone, ...), and now for the 3D view too (it was drawn with 'MR default')."""
    from neuroview.io.nifti import save_nifti

    rng = np.random.default_rng(3)
    hu = np.full((40, 40, 30), -1000, np.int16)
    hu[8:32, 8:32, 5:25] = rng.normal(40, 10, (24, 24, 20)).astype(np.int16)
    hu[8:32, 8:32, [5, 24]] = 1200   # skull-like caps
    path = tmp_path / "head_ct.nii.gz"
    save_nifti(hu, np.diag([0.8, 0.8, 2.5, 1.0]), path)
    open_image(qtbot, window, path)
    view3d, panel = window.view3d, window.display_panel
    assert panel.preset_box.findText("Bone") >= 0   # the 2D presets take it for a CT
    qtbot.waitUntil(lambda: view3d._scene_volume is window.controller.volume, timeout=20000)
    assert view3d.scene.preset == "CT bone"
    qtbot.waitUntil(lambda: panel.preset3d_box.currentText() == "CT bone", timeout=5000)
