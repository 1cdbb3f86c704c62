"""Stepping to another time point of a 4D image with labels present says once, in the status
line, that the labels are one 3D mask shown on every time point and which time point they were
drawn on: the walk of session 34 expected it, and the window said nothing (the mask simply stayed
on screen over another volume)."""

from __future__ import annotations

import numpy as np
from frame_images import frames, open_and_wait

INSIDE = np.array([16.0, 12.0, 14.0])


def step_to(qtbot, window, time_point: int) -> None:
    window.display_panel.frame_box.setValue(time_point)
    qtbot.waitUntil(lambda: window.controller.state.frame == time_point - 1, timeout=5000)


def test_the_status_line_says_once_that_the_labels_are_one_mask(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", frames())
    qtbot.waitUntil(lambda: window.editor.session is not None and not window.runner.busy,
                    timeout=30000)
    bar = window.statusBar()
    step_to(qtbot, window, 2)              # no labels yet: nothing to say
    assert "3D mask" not in bar.currentMessage()
    session = window.editor.session
    session.segments.add("lesion")
    session.apply("paint", at_ras=INSIDE, radius_mm=4.0, mode="3d")

    step_to(qtbot, window, 3)
    assert bar.currentMessage() == (
        "The labels are one 3D mask, shown on every time point: they were drawn on time point 2 "
        "(Send to training set sends the image of time point 2).")
    bar.clearMessage()
    step_to(qtbot, window, 1)              # once: the user has read it
    assert bar.currentMessage() == ""
