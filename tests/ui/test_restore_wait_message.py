"""The red bar's "answer the restore question above the views to segment first" (an action tried
before the image's restore question was answered) goes once it is answered: *Restore* or *Discard*
starts the editing it waited for. It stayed above the views, naming a question no longer there,
until session 33 (found walking the demo: Ctrl+Shift+S, then Restore)."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import INSIDE_CASE_RAS, open_image, wait_for_session, write_image
from PySide6.QtCore import Qt

from neuroview.app.case import workspace_for
from neuroview.app.session import Session


def crashed(volume):
    """Three strokes on ``volume``'s workspace, never saved, the session killed."""
    session = Session(volume, workspace_for(volume))
    lesion = session.segments.add("lesion")
    for dx in (-6.0, 0.0, 6.0):
        session.apply("paint", at_ras=tuple(INSIDE_CASE_RAS + [dx, 0, 0]), radius_mm=3.0,
                      mode="3d", segment=lesion)
    session.journal.close()


@pytest.mark.parametrize("answer", ["Restore", "Discard"])
def test_the_wait_for_the_restore_question_goes_with_its_answer(qtbot, window, tmp_path, answer):
    path, volume = write_image(tmp_path)
    crashed(volume)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    window.ai_actions.segment_dialog()            # AI > Segment with a model... before answering
    assert window.message_bar.isVisible()
    assert window.message_bar.shown == "answer the restore question above the views to segment first"
    qtbot.mouseClick(bar.buttons[answer], Qt.LeftButton)
    session = wait_for_session(qtbot, window)
    assert bool(np.any(session.labels.array)) == (answer == "Restore")
    assert not window.message_bar.isVisible() and window.message_bar.shown == ""


def test_an_error_of_its_own_stays_after_the_answer(qtbot, window, tmp_path):
    """Only the wait goes: an error that is not about the question stays until dismissed."""
    path, volume = write_image(tmp_path)
    crashed(volume)
    open_image(qtbot, window, path)
    bar = window.notice_bar
    qtbot.waitUntil(lambda: "Restore" in bar.buttons and bar.isVisible(), timeout=30000)
    window.show_error("other.nii.gz: file is truncated")
    qtbot.mouseClick(bar.buttons["Discard"], Qt.LeftButton)
    wait_for_session(qtbot, window)
    assert window.message_bar.shown == "other.nii.gz: file is truncated"
