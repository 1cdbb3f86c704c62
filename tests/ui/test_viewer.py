"""The window as a radiologist uses it, checked on screen (grabbed widget pixels)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from render_cases import AFFINES, BLOB_RAS, make_case, rotation_xyz
from viewer_pixels import expected_pixel, grab, open_case, save_case, send_mouse

from neuroview.core.labels import default_color
from neuroview.io.nifti import save_nifti

LESION = np.array(default_color(1))  # colour of segment 1 loaded from a plain NIfTI mask


def lesion_centroid(rgb: np.ndarray):
    mask = np.all(np.abs(rgb.astype(int) - LESION) <= 2, axis=2)
    if mask.sum() < 4:
        return None
    ys, xs = np.nonzero(mask)
    return xs.mean() + 0.5, ys.mean() + 0.5


OTHER_GRID = np.eye(4)
OTHER_GRID[:3, :3] = rotation_xyz(0.1, 0.2, -0.3) @ np.diag([-1.25, -1.25, 1.25])
OTHER_GRID[:3, 3] = [30.0, 20.0, -25.0]


@pytest.mark.parametrize("kind", ["lps", "oblique", "labels-on-other-grid"])
def test_labelled_voxel_appears_in_place_in_all_views(qtbot, window, tmp_path, kind):
    if kind == "labels-on-other-grid":
        image, labels = save_case(tmp_path, kind, AFFINES["ras"], OTHER_GRID, (60, 70, 50))
    else:
        image, labels = save_case(tmp_path, kind, AFFINES[kind])
    open_case(qtbot, window, image, labels)
    window.segment_panel.opacity_slider.setValue(100)
    window.controller.set_crosshair(BLOB_RAS)
    for plane, widget in window.slice_views.items():
        found = lesion_centroid(grab(widget))
        assert found is not None, f"lesion not visible in {plane}"
        ex, ey = expected_pixel(window, plane, BLOB_RAS)
        assert abs(found[0] - ex) < 2 and abs(found[1] - ey) < 2, (plane, found, (ex, ey))


def test_click_moves_the_other_views(qtbot, window, tmp_path):
    image, labels = save_case(tmp_path, "ras", AFFINES["ras"])
    open_case(qtbot, window, image, labels)
    window.segment_panel.opacity_slider.setValue(100)
    # At the volume centre the sagittal and coronal slices miss the lesion.
    assert lesion_centroid(grab(window.slice_views["sagittal"])) is None
    assert lesion_centroid(grab(window.slice_views["coronal"])) is None
    window.controller.set_crosshair([0.0, 0.0, BLOB_RAS[2]])  # the axial slice through it
    axial = window.slice_views["axial"]
    x, y = lesion_centroid(grab(axial))
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(int(x), int(y)))
    for plane in ("sagittal", "coronal"):
        found = lesion_centroid(grab(window.slice_views[plane]))
        assert found is not None, plane
        ex, ey = expected_pixel(window, plane, BLOB_RAS)
        assert abs(found[0] - ex) < 3 and abs(found[1] - ey) < 3
    assert np.allclose(window.controller.state.crosshair_ras, BLOB_RAS, atol=1.5)


def test_window_level_drag_changes_the_pixels(qtbot, window, tmp_path):
    image, _ = save_case(tmp_path, "ras", AFFINES["ras"])
    open_case(qtbot, window, image)
    axial = window.slice_views["axial"]
    before = grab(axial)
    state = window.controller.state
    w0, l0 = state.window, state.level
    window.mode_actions["window-level"].trigger()
    centre = (axial.width() / 2, axial.height() / 2)
    send_mouse(axial, QEvent.MouseButtonPress, centre)
    send_mouse(axial, QEvent.MouseMove, (centre[0] - 60, centre[1] + 40), Qt.NoButton)
    send_mouse(axial, QEvent.MouseButtonRelease, (centre[0] - 60, centre[1] + 40), buttons=Qt.NoButton)
    assert state.window < w0 and state.level > l0
    after = grab(axial)
    assert np.mean(np.any(before != after, axis=2)) > 0.1
    assert np.isclose(window.display_panel.window_box.value(), state.window, atol=0.1)


def test_bad_file_shows_the_error_and_the_app_stays_usable(qtbot, window, tmp_path):
    bad = tmp_path / "truncated.nii.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage")
    window.open_paths([bad])
    qtbot.waitUntil(lambda: "truncated.nii.gz" in window.message_bar.text, timeout=20000)
    assert window.controller.volume is None
    image, _ = save_case(tmp_path, "ras", AFFINES["ras"])
    open_case(qtbot, window, image)
    assert window.controller.volume.shape == (48, 48, 48)
    assert window.message_bar.text == ""
    assert lesion_centroid(grab(window.slice_views["axial"])) is None  # no labels loaded


def test_folder_with_several_series_shows_the_chooser(qtbot, window, tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    save_case(folder, "a", AFFINES["ras"])
    small, _ = make_case(AFFINES["ras"], shape=(20, 30, 40))
    save_nifti(small.array, small.ijk_to_ras, folder / "b.nii.gz")
    window.open_paths([folder])
    qtbot.waitUntil(lambda: window.series_dialog is not None, timeout=20000)
    dialog = window.series_dialog
    texts = [dialog.list.item(n).text() for n in range(dialog.list.count())]
    assert len(texts) == 3 and any("20x30x40" in t for t in texts)
    dialog.list.setCurrentRow(next(n for n, t in enumerate(texts) if "20x30x40" in t))
    dialog.accept()
    qtbot.waitUntil(lambda: window.controller.volume is not None, timeout=20000)
    assert window.controller.volume.shape == (20, 30, 40)


def test_layouts_keys_wheel_and_readout(qtbot, window, tmp_path):
    image, labels = save_case(tmp_path, "lps", AFFINES["lps"])
    open_case(qtbot, window, image, labels)
    window.segment_panel.opacity_slider.setValue(100)
    axial = window.slice_views["axial"]
    qtbot.mouseDClick(axial, Qt.LeftButton, pos=QPoint(50, 50))
    assert axial.isVisible() and not window.view3d.isVisible()
    assert not window.slice_views["coronal"].isVisible()
    qtbot.mouseDClick(axial, Qt.LeftButton, pos=QPoint(50, 50))
    assert all(v.isVisible() for v in window.views.values())
    window.set_layout("one-row")
    assert not window.view3d.isVisible() and window.slice_views["sagittal"].isVisible()
    window.set_layout("four-up")
    state = window.controller.state
    z0 = state.crosshair_ras[2]
    qtbot.keyClick(axial, Qt.Key_Up)
    qtbot.keyClick(axial, Qt.Key_PageUp)
    # two slices up from the middle slice it opened on (2 mm slices)
    assert np.isclose(state.crosshair_ras[2] - z0, 4.0)
    window.controller.set_crosshair(BLOB_RAS)
    x, y = lesion_centroid(grab(axial))
    send_mouse(axial, QEvent.MouseMove, (x, y), Qt.NoButton, Qt.NoButton)
    text = window.readout.text()
    assert "ijk (" in text and "RAS (" in text and "Segment 1" in text
    ras = np.array([float(v) for v in text.split("RAS (")[1].split(")")[0].split(",")])
    assert np.linalg.norm(ras - BLOB_RAS) < 3


def test_segment_panel_ruler_and_export(qtbot, window, tmp_path):
    image, labels = save_case(tmp_path, "ras", AFFINES["ras"])
    open_case(qtbot, window, image, labels)
    window.segment_panel.opacity_slider.setValue(100)
    table = window.segment_panel.table
    voxels = int(window.controller.labels.array.sum())
    assert table.rowCount() == 1 and int(table.item(0, 3).text()) == voxels
    assert np.isclose(float(table.item(0, 4).text()), voxels * 8 / 1000, atol=1e-3)
    table.item(0, 0).setCheckState(Qt.Unchecked)  # hide the segment
    window.controller.set_crosshair(BLOB_RAS)
    assert lesion_centroid(grab(window.slice_views["axial"])) is None
    window.mode_actions["ruler"].trigger()
    axial = window.slice_views["axial"]
    geom = window.controller.state.geometry("axial", axial.width(), axial.height())
    pixels = round(40 / geom.mm_per_pixel)   # about 40 mm to the right, in whole screen pixels
    a, b = (100.0, 100.0), (100.0 + pixels, 100.0)
    send_mouse(axial, QEvent.MouseButtonPress, a)
    send_mouse(axial, QEvent.MouseMove, b)
    send_mouse(axial, QEvent.MouseButtonRelease, b, buttons=Qt.NoButton)
    # from the centre of the pixel pressed to the centre of the pixel released
    length = f"{pixels * geom.mm_per_pixel:.1f} mm"
    assert window.measurements.item(window.measurements.count() - 1).text().endswith(length)
    from neuroview.render.png import read_png

    window.export_all(tmp_path / "all.png", 400, 300)
    picture = read_png(tmp_path / "all.png")
    assert picture.shape == (300, 400, 3) and picture.std() > 10


def test_long_job_shows_progress_and_cancels(qtbot, window):
    import threading

    from neuroview.core.jobs import check, report

    started = threading.Event()
    outcome = []

    def slow(progress, cancel):
        for n in range(100000):
            report(progress, n, 100000, "working")
            started.set()
            check(cancel)
            threading.Event().wait(0.001)
        return "finished"

    window.runner.start(slow, on_done=outcome.append, on_cancel=lambda: outcome.append("cancelled"),
                        on_error=outcome.append, label="Slow job")
    qtbot.waitUntil(lambda: window.cancel_button.isVisible() and window.progress.value() > 0,
                    timeout=10000)
    qtbot.mouseClick(window.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=10000)
    assert not window.cancel_button.isVisible() and window.message_bar.text == ""


def _reddish(rgb: np.ndarray) -> int:
    """Pixels of the segment's colour (230, 25, 75), shaded."""
    rgb = rgb.astype(int)
    return int(((rgb[..., 0] > rgb[..., 1] + 40) & (rgb[..., 0] > rgb[..., 2] + 20)).sum())


def test_3d_view_shows_volume_surfaces_and_slice_planes(qtbot, window, tmp_path):
    image, labels = save_case(tmp_path, "ras", AFFINES["ras"])
    open_case(qtbot, window, image, labels)
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d.rgb is not None, timeout=20000)
    qtbot.waitUntil(lambda: not view3d.surfaces_pending, timeout=20000)  # built off the GUI thread
    # With labels, volume rendering is off by default (it would hide the surfaces); a click on
    # its box turns it on, and it covers much of the view.
    check = window.display_panel.volume3d_check
    qtbot.waitUntil(lambda: not check.isChecked(), timeout=20000)
    assert "unticks when segment surfaces or slice planes show" in check.toolTip()  # why, on hover
    surfaces_only = grab(view3d)
    assert _reddish(surfaces_only) > 20   # the surfaces' frame is on screen, not the one before
    qtbot.mouseClick(check, Qt.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked() and view3d.scene.show_volume
    qtbot.waitUntil(lambda: not np.array_equal(grab(view3d), surfaces_only), timeout=20000)
    changed = np.any(np.abs(grab(view3d).astype(int) - surfaces_only.astype(int)) > 8, axis=2)
    assert changed.mean() > 0.05
    qtbot.mouseClick(check, Qt.LeftButton, pos=QPoint(8, check.height() // 2))
    qtbot.waitUntil(lambda: np.array_equal(grab(view3d), surfaces_only), timeout=20000)
    surface = grab(view3d).astype(int)
    window.display_panel.planes3d_check.setChecked(True)
    window.controller.set_crosshair(BLOB_RAS)
    qtbot.waitUntil(lambda: not np.array_equal(grab(view3d).astype(int), surface), timeout=20000)
