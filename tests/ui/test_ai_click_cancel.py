"""Cancel means cancel for the AI click tool's answers. The answer's job never looked at its cancel
token: Esc while the model answered dropped the object but the job ran on to its end (the job bar
stayed busy, the next object's first click waited for it), Cancel in the job bar let the answer
arrive and show, and closing the window waited for it (5 s, then "1 background job(s) still
running"). The job now waits for the model on a thread of its own (``core.jobs.abandonable``), and
the engine looks at the token between the model's runs.

The model here is the grow-from-seeds backend made slow: its ``predict`` waits until the test lets
it go (the product's code has no sleep); the clicks, Esc and the close are the window's own."""

from __future__ import annotations

import numpy as np
from ai_click_cases import CENTRE, _answered_click, _click, _GatedModel, _setup
from editor_helpers import close_at_once
from PySide6.QtCore import Qt

from neuroview.ai.interactive.simulate import dice
from neuroview.core.jobs import abandoned_running, wait_abandoned

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _slow_click(qtbot, window, p_ras=CENTRE, model=None):
    """A click whose answer is held in the model (a new one unless the object's ``model`` is
    given): (the model, the answer's job)."""
    if model is None:
        model = window.editor.ai_click.model = _GatedModel()
    model.gate.clear()
    model.entered.clear()
    _click(qtbot, window, "axial", p_ras)
    assert model.entered.wait(10), "the click did not start an answer"
    job = window.editor.ai_click.job
    assert job is not None and not job.finished
    return model, job


def test_esc_during_a_slow_answer_shows_nothing_and_ends_the_job(qtbot, window, tmp_path):
    session, first, _ = _setup(qtbot, window, tmp_path)
    steps, labels = len(session.history.undo_steps), session.labels.array.copy()
    model, job = _slow_click(qtbot, window)
    try:
        qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
        assert session.prompting is None
        # the job ends while the model still computes (it ran on to its end, the bar busy)
        qtbot.waitUntil(lambda: window.editor.ai_click.job is None, timeout=10000)
        assert job.outcome == ("cancelled", None) and abandoned_running()
    finally:
        model.gate.set()
    assert wait_abandoned(10)
    qtbot.wait(200)   # whatever the model's late answer would queue
    assert not window.editor.has_preview() and window.controller.preview_labels is None
    assert session.prompting is None and session.pending_preview is None
    assert len(session.history.undo_steps) == steps
    assert np.array_equal(session.labels.array, labels)
    shown = _answered_click(qtbot, window, CENTRE)   # the tool answers the next click as before
    assert dice(shown == 1, first) > 0.7 and len(session.prompting.prompts) == 1


def test_cancel_in_the_job_bar_takes_back_the_prompt_being_answered(qtbot, window, tmp_path):
    session, first, second = _setup(qtbot, window, tmp_path)
    model = window.editor.ai_click.model = _GatedModel()
    model.gate.set()
    shown = _answered_click(qtbot, window, CENTRE)
    model, job = _slow_click(qtbot, window, CENTRE + [24, 0, 0], model)
    try:
        qtbot.waitUntil(lambda: window.jobs.shown is job, timeout=5000)
        qtbot.mouseClick(window.jobs.cancel_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: window.editor.ai_click.job is None, timeout=10000)
    finally:
        model.gate.set()
    assert wait_abandoned(10)
    qtbot.wait(200)
    assert len(session.prompting.prompts) == 1     # the second click went; the first answer stays
    assert np.array_equal(window.controller.preview_labels.array, shown)
    assert dice(shown == 1, first) > 0.7 and not (shown == 1)[second].any()
    assert window.statusBar().currentMessage() == \
        "AI click: cancelled; the 1 prompt with no answer yet taken back"


def test_closing_the_window_during_a_slow_answer_is_immediate(qtbot, window, tmp_path):
    _setup(qtbot, window, tmp_path)
    model, job = _slow_click(qtbot, window)
    try:
        close_at_once(qtbot, window, job, "the answer")
    finally:
        model.gate.set()
    assert wait_abandoned(10)
