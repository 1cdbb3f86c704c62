"""The 3D view after a first stroke of the 2D brush: the volume rendering stays. It stepped aside
for the stroke's surface, one slice thick, seen edge-on from the front view: a line one pixel high,
and a new user saw an empty 3D view. A stroke with depth (the 3D brush) still takes its place."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_case, stroke, stroke_a_lesion


def _drawn(view3d) -> float:
    """The share of the frame's pixels that are not the background."""
    rgb = view3d.rgb.astype(int)
    return float((np.abs(rgb - rgb[2, 2]).sum(axis=2) > 30).mean())


def _settled(qtbot, view3d) -> None:
    qtbot.waitUntil(lambda: view3d.shows_open_image and view3d.rgb is not None
                    and not view3d.surfaces_pending, timeout=30000)


def test_a_flat_stroke_keeps_the_volume_a_deep_one_replaces_it(qtbot, window, tmp_path):
    _, session = open_case(qtbot, window, tmp_path)
    view3d = window.view3d
    _settled(qtbot, view3d)
    before = _drawn(view3d)
    assert before > 0.1   # the head's volume rendering

    stroke_a_lesion(window, session)   # a 2D stroke on one axial slice
    qtbot.waitUntil(lambda: view3d.scene.surfaces is not None, timeout=30000)
    _settled(qtbot, view3d)
    assert view3d.scene.show_volume and window.display_panel.volume3d_check.isChecked()
    assert _drawn(view3d) > 0.8 * before, "the 3D view went empty after a flat stroke"

    session.set_params("paint", radius_mm=6, mode="3d")   # a ball: the volume steps aside
    stroke(window, "axial", [INSIDE_CASE_RAS + [0, 0, 4.0]])
    qtbot.waitUntil(lambda: not view3d.scene.show_volume, timeout=30000)
    _settled(qtbot, view3d)
    assert 0.002 < _drawn(view3d) < 0.8 * before   # the surfaces alone
    assert "volume rendering off while segment surfaces show" in window.statusBar().currentMessage()


def test_strokes_a_few_slices_apart_keep_the_volume_their_filling_replaces_it(qtbot, window,
                                                                            tmp_path):
    """Drawn every few slices for *Fill between slices* (walk of 7 Dec 2026): a second stroke 8 mm
    above the first took the volume rendering away, and the 3D view showed two lines."""
    _, session = open_case(qtbot, window, tmp_path)
    view3d = window.view3d
    _settled(qtbot, view3d)
    before = _drawn(view3d)
    session.segments.add("lesion")
    for up in (0.0, 8.0):   # two 2D strokes on axial slices 8 mm apart
        session.apply("paint", at_ras=INSIDE_CASE_RAS + [0, 0, up], radius_mm=5, mode="2d",
                      view="axial", segment=1)
    qtbot.waitUntil(lambda: view3d.scene.surfaces is not None, timeout=30000)
    _settled(qtbot, view3d)
    assert view3d.scene.show_volume and window.display_panel.volume3d_check.isChecked()
    assert _drawn(view3d) > 0.8 * before, "the 3D view went empty after two strokes"

    session.apply("interpolate", segment=1, view="axial")   # filled between: it has depth
    qtbot.waitUntil(lambda: not view3d.scene.show_volume, timeout=30000)
    _settled(qtbot, view3d)
    assert 0.002 < _drawn(view3d) < 0.8 * before
