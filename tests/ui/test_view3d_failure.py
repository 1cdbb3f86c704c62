"""When the 3D view's worker fails as an image opens (no OpenGL, out of memory), the notice bar
says so in one line and the slice views stay usable; it used to fail without a word."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image

from neuroview.render import prepare3d


def test_a_failed_3d_view_is_one_line_in_the_notice_bar(qtbot, window, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no OpenGL 3.2 context for volume rendering")

    monkeypatch.setattr(prepare3d, "prepare_volume", broken)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    qtbot.waitUntil(lambda: "3D view" in window.notice_bar.text, timeout=30000)
    text = window.notice_bar.text
    assert text == ("3D view: not shown (internal error: RuntimeError: no OpenGL 3.2 context for "
                    "volume rendering); "
                    "the slice views work as before")
    assert window.view3d.rgb is None

    session = wait_for_session(qtbot, window)                 # the slice views: paint with them
    session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert session.labels.array.any()
    picture = window.slice_views["axial"].render(overlays=False).rgb
    assert np.abs(picture.astype(int) - picture[0, 0]).max() > 50          # the image is drawn


def test_the_line_goes_under_a_question_still_waiting(qtbot, window):
    answered = []
    window.notice_bar.show_message("Restore the edits of last time?",
                                   [("Restore", lambda: answered.append("restore")),
                                    ("Discard", lambda: None)])
    window.notice_bar.tell("3D view: not shown (no OpenGL); the slice views work as before")
    assert window.notice_bar.text == ("Restore the edits of last time?\n"
                                      "3D view: not shown (no OpenGL); the slice views work as before")
    window.notice_bar.buttons["Restore"].click()               # the question can still be answered
    assert answered == ["restore"]
    window.notice_bar.tell("3D view: not shown (no OpenGL); the slice views work as before")
    assert window.notice_bar.text == "3D view: not shown (no OpenGL); the slice views work as before"


def test_failed_label_surfaces_are_told_once_and_the_next_good_build_shows_them(qtbot, window, tmp_path,
                                                                               monkeypatch):
    """The label-surface worker used to fail without a word: the 3D view simply lacked the
    segments. Now the notice bar says so once (each stroke rebuilds; it is not said again), the
    labels are untouched, and the next build that works shows the surfaces."""
    real = prepare3d.build_label_surface

    def broken(*args, **kwargs):
        raise MemoryError("cannot allocate the marching-cubes output")

    monkeypatch.setattr(prepare3d, "build_label_surface", broken)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion")
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    qtbot.waitUntil(lambda: "label surfaces" in window.notice_bar.text, timeout=30000)
    assert window.notice_bar.text == (
        "3D view: label surfaces not shown (not enough memory); the labels are unchanged and the "
        "slice views show them")
    painted = int(session.labels.array.sum())
    assert painted > 0
    assert window.view3d.scene.surfaces is None

    view = window.view3d
    told = []
    view.failed.connect(told.append)
    before = view._surface_wanted
    stroke(window, "axial", [INSIDE_CASE_RAS + np.array([0.0, 6.0, 0.0])])   # another failed build
    qtbot.waitUntil(lambda: view._surface_wanted > before and not view.surfaces_pending, timeout=30000)
    assert told == []                                            # not said once per stroke

    monkeypatch.setattr(prepare3d, "build_label_surface", real)   # the next build works
    stroke(window, "axial", [INSIDE_CASE_RAS + np.array([0.0, -6.0, 0.0])])
    qtbot.waitUntil(lambda: view.scene.surfaces is not None, timeout=30000)
    assert int(session.labels.array.sum()) > painted
