"""Strokes painted while the layout hides the 3D view (one row of slice views) build no label
surface: each stroke rebuilt the surfaces of the whole label map, in a worker, for a view nobody
saw. Shown again, the 3D view builds them once and shows the painted segment."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, grab, open_image, stroke, wait_for_session, write_image

from neuroview.render import prepare3d


def _reddish(rgb) -> int:
    """Pixels in the colour of segment 1 (230, 25, 75), shaded."""
    rgb = rgb.astype(int)
    return int(((rgb[..., 0] > rgb[..., 1] + 40) & (rgb[..., 0] > rgb[..., 2] + 20)).sum())


def test_strokes_under_a_hidden_3d_view_build_its_surfaces_once_it_is_shown(qtbot, window, tmp_path,
                                                                           monkeypatch):
    builds = []
    real = prepare3d.build_label_surface
    monkeypatch.setattr(prepare3d, "build_label_surface",
                        lambda *args, **kwargs: builds.append(1) or real(*args, **kwargs))
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    view3d = window.view3d
    qtbot.waitUntil(lambda: view3d.rgb is not None and not view3d.surfaces_pending, timeout=30000)
    built_before = len(builds)
    window.set_layout("one-row")
    assert view3d.isHidden()
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=6.0, mode="3d")   # (a flat stroke leaves the volume on)
    for dy in (0.0, 6.0):   # two strokes
        stroke(window, "axial", [INSIDE_CASE_RAS + [0, dy, 0], INSIDE_CASE_RAS + [12.0, dy, 0]])
    assert (session.labels.array == 1).sum() > 30
    qtbot.waitUntil(lambda: not window.editor._edited_timer.isActive(), timeout=10000)   # told
    assert not view3d._surface_timer.isActive() and not view3d.surfaces_pending
    assert len(builds) == built_before and _reddish(view3d.rgb) == 0
    window.set_layout("four-up")
    qtbot.waitUntil(lambda: not view3d.surfaces_pending and view3d.scene.surfaces is not None,
                    timeout=30000)
    qtbot.waitUntil(lambda: _reddish(grab(view3d)) > 20, timeout=30000)   # the painted segment
    assert len(builds) == built_before + 1
