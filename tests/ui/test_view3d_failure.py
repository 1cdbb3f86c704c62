"""When the 3D view's worker fails as an image opens (no OpenGL, out of memory), the notice bar
says so in one line and the slice views stay usable; it used to fail without a word."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image

from neuroview.render import volume3d


def test_a_failed_3d_view_is_one_line_in_the_notice_bar(qtbot, window, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no OpenGL 3.2 context for volume rendering")

    monkeypatch.setattr(volume3d, "prepare_volume", broken)
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
